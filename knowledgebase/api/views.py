import django_filters
from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS

from knowledgebase import selectors, services
from knowledgebase.api import serializers as s
from knowledgebase.models import Article, Category
from sfa.core.api.mixins import NoDeleteMixin, ServiceViewSetMixin, transition_action
from sfa.core.api.permissions import StaffModelPermissions


class PublicReadStaffWrite(StaffModelPermissions):
    """Anyone may read (the queryset decides what); writes need the staff permissions."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class ArticleFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=Article.State.choices)
    visibility = django_filters.ChoiceFilter(choices=Article.Visibility.choices)
    tag = django_filters.CharFilter(field_name="tags__slug", distinct=True)
    category = django_filters.NumberFilter(field_name="category")

    class Meta:
        model = Article
        fields = ["state", "visibility", "category", "tag"]


class ArticleViewSet(NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    """Knowledge base articles. Anonymous callers read published public articles only.

    `?search=` is full-text (PostgreSQL: ranked, with a highlighted `snippet`)."""

    serializer_class = s.ArticleSerializer
    permission_classes = [PublicReadStaffWrite]
    filterset_class = ArticleFilter
    ordering_fields = ["published_at", "title", "view_count", "created_at", "updated_at"]
    ordering = None  # the selector's order: rank for a search, else newest published first
    action_permissions = {
        "submit": ["knowledgebase.change_article"],
        "publish": ["knowledgebase.publish_article"],
        "archive": ["knowledgebase.archive_article"],
        "restore": ["knowledgebase.archive_article"],
    }

    def get_queryset(self):
        return selectors.with_list_relations(selectors.article_visible_to(self.request.user))

    def search_queryset(self, queryset, text):
        return selectors.article_search(queryset, text)

    submit = transition_action("submit", service=services.article_submit, instance_arg="article")
    publish = transition_action("publish", service=services.article_publish, instance_arg="article")
    archive = transition_action("archive", service=services.article_archive, instance_arg="article")
    restore = transition_action("restore", service=services.article_restore, instance_arg="article")


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The category tree (``parent`` empty at the top), readable by anyone."""

    serializer_class = s.CategorySerializer
    permission_classes = [PublicReadStaffWrite]
    queryset = Category.objects.all()
    pagination_class = None
    filter_backends: list = []
