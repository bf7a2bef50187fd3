from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sfa.core.api.mixins import StateMachineSerializerMixin
from sfa.customers.fields import (
    StaffUserField,
    VisibleAccountField,
    VisibleContactField,
    request_user,
)
from tickets import services
from tickets.models import Ticket, TicketAttachment, TicketComment


class TicketAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Download (GET).")

    class Meta:
        model = TicketAttachment
        fields = [
            "id", "filename", "content_type", "size", "comment", "from_customer",
            "uploaded_by", "created_at", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return f"/api/v1/tickets/{attachment.ticket_id}/attachments/{attachment.pk}/"


class AttachmentUpload(serializers.Serializer):
    file = serializers.FileField(help_text="Checked for type and size like documents.")


class TicketCommentSerializer(serializers.ModelSerializer):
    attachments = TicketAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = TicketComment
        fields = [
            "id", "author", "author_email", "from_customer", "is_public", "via", "body",
            "created_at", "attachments",
        ]  # fmt: skip
        read_only_fields = fields


class SlaSerializer(serializers.Serializer):
    first_response = serializers.CharField()
    resolution = serializers.CharField()


class TicketSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    account = VisibleAccountField(required=False, allow_null=True)
    contact = VisibleContactField(required=False, allow_null=True)
    assignee = StaffUserField(required=False, allow_null=True)
    watchers = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Users following the ticket (watch/unwatch)."
    )
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id", "number", "state", "available_transitions", "account", "contact",
            "requester_email", "subject", "description", "channel", "category", "product",
            "priority", "kind", "team", "assignee", "tags", "sla_policy", "first_response_due",
            "resolution_due", "first_responded_at", "resolved_at", "closed_at", "sla",
            "created_at", "updated_at", "watchers", "merged_into",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "sla_policy", "first_response_due", "resolution_due",
            "first_responded_at", "resolved_at", "closed_at", "created_at", "updated_at",
            "merged_into",
        ]  # fmt: skip

    @extend_schema_field(SlaSerializer)
    def get_sla(self, obj):
        return services.sla_status(obj, schedules=self.context.setdefault("schedules", {}))

    def create(self, validated_data):
        validated_data.setdefault("channel", Ticket.Channel.API)
        return services.ticket_create(actor=request_user(self), data=validated_data)

    def update(self, instance, validated_data):
        return services.ticket_update(
            ticket=instance, actor=request_user(self), data=validated_data
        )


class TicketListSerializer(TicketSerializer):
    """A ticket in a list: no description and no watchers (on its own URL, or in the list with
    ``?expand=watchers``)."""

    watchers = None

    class Meta(TicketSerializer.Meta):
        fields = [
            "id", "number", "state", "available_transitions", "account", "contact",
            "requester_email", "subject", "channel", "category", "product", "priority", "kind",
            "team", "assignee", "tags", "sla_policy", "first_response_due", "resolution_due",
            "first_responded_at", "resolved_at", "closed_at", "sla", "created_at", "updated_at",
            "merged_into",
        ]  # fmt: skip


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=20000)
    public = serializers.BooleanField(
        default=True, help_text="false: an internal note, never shown to the customer"
    )


class MergeInput(serializers.Serializer):
    into = serializers.CharField(
        max_length=40,
        help_text="The ticket to merge into: its id or its number (T-2026-00042).",
    )


class WatchInput(serializers.Serializer):
    user = StaffUserField(
        required=False,
        help_text="Someone else (needs tickets.assign_ticket or being the assignee); "
        "default: yourself.",
    )


class AvailabilitySerializer(serializers.Serializer):
    is_available = serializers.BooleanField(
        help_text="false: away; routing gives you no new tickets."
    )
