from django.contrib import admin

from knowledgebase.models import Article, ArticleRevision, Category, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_filter = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "title", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only here: articles are written in the staff UI (/knowledgebase/), which keeps
    revisions, the rendered HTML and the search index."""

    list_display = ["title", "state", "visibility", "category", "author", "published_at"]
    list_filter = ["state", "visibility", "category"]
    search_fields = ["title", "slug"]
    inlines = [RevisionInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Article._meta.concrete_fields if f.name != "search_vector"]

    def get_exclude(self, request, obj=None):
        return ["search_vector", "tags"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
