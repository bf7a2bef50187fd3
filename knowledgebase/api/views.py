from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS

from knowledgebase import selectors, services
from knowledgebase.api import serializers as s
from knowledgebase.filters import ArticleFilter
from knowledgebase.models import Category
from sfa.core.api.mixins import (
    NoDeleteMixin,
    SelectorListMixin,
    ServiceViewSetMixin,
    transition_action,
)
from sfa.core.api.permissions import StaffModelPermissions


class PublicReadStaffWrite(StaffModelPermissions):
    """Anyone may read (the queryset decides what); writes need the staff permissions."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class ArticleViewSet(SelectorListMixin, NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    """Knowledge base articles. Anonymous callers read published public articles only.

    `?search=` is full-text (PostgreSQL: ranked, with a highlighted `snippet`)."""

    serializer_class = s.ArticleSerializer
    permission_classes = [PublicReadStaffWrite]
    list_selector = selectors.article_list
    filterset_class = ArticleFilter
    action_permissions = {
        "submit": ["knowledgebase.change_article"],
        "publish": ["knowledgebase.publish_article"],
        "archive": ["knowledgebase.archive_article"],
        "restore": ["knowledgebase.archive_article"],
    }

    def get_queryset(self):
        return selectors.with_list_relations(selectors.article_visible_to(self.request.user))

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
