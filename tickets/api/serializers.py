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
from tickets.models import Ticket, TicketComment


class TicketCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketComment
        fields = ["id", "author", "from_customer", "is_public", "body", "created_at"]
        read_only_fields = fields


class SlaSerializer(serializers.Serializer):
    first_response = serializers.CharField()
    resolution = serializers.CharField()


class TicketSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    account = VisibleAccountField(required=False, allow_null=True)
    contact = VisibleContactField(required=False, allow_null=True)
    assignee = StaffUserField(required=False, allow_null=True)
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id", "number", "state", "available_transitions", "account", "contact",
            "requester_email", "subject", "description", "channel", "category", "product",
            "priority", "kind", "team", "assignee", "tags", "sla_policy", "first_response_due",
            "resolution_due", "first_responded_at", "resolved_at", "closed_at", "sla",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "sla_policy", "first_response_due", "resolution_due",
            "first_responded_at", "resolved_at", "closed_at", "created_at", "updated_at",
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


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=20000)
    public = serializers.BooleanField(
        default=True, help_text="false: an internal note, never shown to the customer"
    )
