from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from sfa.core.api.mixins import (
    NoDeleteMixin,
    SelectorListMixin,
    ServiceViewSetMixin,
    transition_action,
)
from sfa.customers import selectors, services
from sfa.customers.api import serializers as s
from sfa.customers.filters import (
    AccountFilter,
    ContactFilter,
    DeletionRequestFilter,
    account_child_filterset,
)
from sfa.customers.models import (
    Activity,
    Contract,
    CustomFieldDefinition,
    Document,
    Reminder,
    ShipToAddress,
)


class AccountViewSet(SelectorListMixin, NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    """Customers. Scoped to what the user may see: other customers are 404."""

    serializer_class = s.AccountSerializer
    list_selector = selectors.account_list
    filterset_class = AccountFilter
    action_permissions = {
        "archive": ["customers.archive_account"],
        "restore": ["customers.archive_account"],
        "request_deletion": ["customers.add_deletionrequest"],
        "share": ["customers.change_account"],
    }

    def get_queryset(self):
        return selectors.with_list_relations(selectors.account_visible_to(self.request.user))

    archive = transition_action("archive", service=services.account_archive, instance_arg="account")
    restore = transition_action("restore", service=services.account_restore, instance_arg="account")

    @extend_schema(request=s.DeletionRequestInput, responses={201: s.DeletionRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request-deletion")
    def request_deletion(self, request, pk=None):
        """Ask a manager to delete this customer; refused (409) while records refer to it."""
        args = self.validated_input(s.DeletionRequestInput)
        deletion = services.account_request_deletion(
            account=self.get_object(), actor=request.user, **args
        )
        return self.respond(s.DeletionRequestSerializer, deletion, status=201)

    @extend_schema(request=s.ShareInput, responses={200: s.AccountSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Let one more user or team see this customer."""
        args = self.validated_input(s.ShareInput)
        services.account_share(account=self.get_object(), actor=request.user, **args)
        return self.detail_response()


class ContactViewSet(SelectorListMixin, NoDeleteMixin, ServiceViewSetMixin, viewsets.ModelViewSet):
    serializer_class = s.ContactSerializer
    list_selector = selectors.contact_list
    filterset_class = ContactFilter
    action_permissions = {"archive": ["customers.change_contact"]}

    def get_queryset(self):
        return selectors.contact_visible_to(self.request.user)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Hide the contact from pickers and close its portal access; nothing is deleted."""
        services.contact_archive(actor=request.user, contact=self.get_object())
        return self.detail_response()


class AccountChildViewSet(
    viewsets.GenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Records that hang off a customer; scoped through it."""

    selector = None
    list_relations = ("account",)

    def get_queryset(self):
        return type(self).selector(self.request.user).select_related(*self.list_relations)


class ShipToAddressViewSet(AccountChildViewSet):
    serializer_class = s.ShipToAddressSerializer
    selector = selectors.ship_to_visible_to
    filterset_class = account_child_filterset(ShipToAddress, ["account", "is_default", "is_active"])


class ReminderViewSet(AccountChildViewSet):
    serializer_class = s.ReminderSerializer
    selector = selectors.reminder_visible_to
    filterset_class = account_child_filterset(
        Reminder, ["account", "assignee", "is_done", "due_date"]
    )
    ordering_fields = ["due_date", "created_at"]
    ordering = ["is_done", "due_date", "pk"]

    @action(detail=False, methods=["get"])
    def due(self, request):
        """My open reminders due today or earlier."""
        queryset = selectors.reminders_due_for(request.user)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ActivityViewSet(AccountChildViewSet):
    serializer_class = s.ActivitySerializer
    selector = selectors.activity_visible_to
    list_relations = ("account", "user")
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = account_child_filterset(Activity, ["account", "contact", "kind", "user"])
    ordering_fields = ["occurred_at"]
    ordering = ["-occurred_at", "-pk"]


class DocumentViewSet(AccountChildViewSet):
    serializer_class = s.DocumentSerializer
    selector = selectors.document_visible_to
    filterset_class = account_child_filterset(Document, ["account"])
    http_method_names = ["get", "post", "head", "options"]
    ordering = ["-uploaded_at", "-pk"]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, for users who may see the customer."""
        document = self.get_object()
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


class ContractViewSet(AccountChildViewSet):
    serializer_class = s.ContractSerializer
    selector = selectors.contract_visible_to
    filterset_class = account_child_filterset(Contract, ["account", "status"])
    ordering = ["-start_date", "-pk"]


class CustomFieldDefinitionViewSet(viewsets.ReadOnlyModelViewSet):
    """The user-definable customer fields (administered in the admin)."""

    serializer_class = s.CustomFieldDefinitionSerializer
    queryset = CustomFieldDefinition.objects.prefetch_related("industries")
    pagination_class = None
    filterset_fields = ["is_active"]


class DeletionRequestViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DeletionRequestSerializer
    filterset_class = DeletionRequestFilter
    action_permissions = {
        "approve": ["customers.approve_account_deletion"],
        "reject": ["customers.approve_account_deletion"],
    }

    def get_queryset(self):
        return selectors.deletion_request_visible_to(self.request.user)

    approve = transition_action(
        "approve", service=services.deletion_request_approve, instance_arg="request"
    )
    reject = transition_action(
        "reject", service=services.deletion_request_reject, instance_arg="request"
    )
