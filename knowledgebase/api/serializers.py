from rest_framework import serializers

from knowledgebase import selectors, services
from knowledgebase.models import Article, Category
from sfa.core.api.mixins import StateMachineSerializerMixin
from sfa.customers.fields import request_user


class TagListField(serializers.ListField):
    child = serializers.CharField(max_length=60)

    def to_representation(self, data):
        return [tag.name for tag in data.all()]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "parent", "name", "slug", "position"]


class ArticleSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    tags = TagListField(required=False, max_length=services.MAX_TAGS)
    author = serializers.StringRelatedField(read_only=True)
    published_by = serializers.StringRelatedField(read_only=True)
    snippet = serializers.SerializerMethodField(
        help_text="With ?search=: the matching passage, words in <mark> (safe HTML)."
    )

    class Meta:
        model = Article
        fields = [
            "id", "title", "slug", "summary", "body", "body_html", "category", "tags",
            "visibility", "state", "available_transitions", "author", "published_by",
            "published_at", "view_count", "helpful_yes", "helpful_no", "snippet",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "body_html", "state", "published_at", "view_count", "helpful_yes", "helpful_no",
            "created_at", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {"slug": {"required": False}}

    def get_available_transitions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None or not selectors.sees_internal(request.user):
            return []
        names = super().get_available_transitions(obj)
        if obj.author_id == request.user.pk:
            names = [name for name in names if name != "publish"]  # another reviewer publishes
        return names

    def get_snippet(self, obj) -> str | None:
        request = self.context.get("request")
        text = request.query_params.get("search", "").strip() if request else ""
        return selectors.snippet_of(obj, text) if text else None

    def create(self, validated_data):
        tags = validated_data.pop("tags", None)
        return services.article_create(actor=request_user(self), data=validated_data, tags=tags)

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        return services.article_update(
            article=instance, actor=request_user(self), data=validated_data, tags=tags
        )
