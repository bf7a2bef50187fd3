from rest_framework import serializers

from leads import services
from leads.models import Lead, LeadLine
from sfa.catalog.fields import LINE_FIELDS, LINE_READ_ONLY, DocumentLineSerializer
from sfa.core.api.mixins import StateMachineSerializerMixin
from sfa.customers.fields import (
    StaffUserField,
    VisibleAccountField,
    VisibleContactField,
    request_user,
)

ADDRESS_FIELDS = ["street", "street2", "postal_code", "city", "area", "region", "country"]


class LeadLineSerializer(DocumentLineSerializer):
    class Meta:
        model = LeadLine
        fields = LINE_FIELDS
        read_only_fields = LINE_READ_ONLY


class LeadSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    account = VisibleAccountField(required=False, allow_null=True)
    contact = VisibleContactField(required=False, allow_null=True)
    owner = StaffUserField(required=False)
    lines = LeadLineSerializer(many=True, required=False)
    display_name = serializers.CharField(read_only=True)
    custom_fields = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="Extra answers by key."
    )
    assign_by_rules = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On create without an owner: let the assignment rules pick one.",
    )

    class Meta:
        model = Lead
        fields = [
            "id", "number", "enquiry_date", "channel", "state", "available_transitions",
            "account", "contact", "display_name", "company", "first_name", "last_name",
            "email", "phone", *ADDRESS_FIELDS, "owner", "branch", "source", "source_detail",
            "delivery_period", "payment_terms", "quote_due_date", "delivery_point", "remarks",
            "currency", "custom_fields", "assign_by_rules", "lines", "subtotal",
            "discount_total", "tax_total", "total",
            "disqualify_reason", "state_changed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "number",
            "state",
            "branch",
            "subtotal",
            "discount_total",
            "tax_total",
            "total",
            "disqualify_reason",
            "state_changed_at",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        lines = validated_data.pop("lines", [])
        by_rules = validated_data.pop("assign_by_rules", False)
        return services.lead_create(
            actor=request_user(self), data=validated_data, lines=lines, assign_by_rules=by_rules
        )

    def update(self, instance, validated_data):
        lines = validated_data.pop("lines", None)
        validated_data.pop("assign_by_rules", None)
        owner = validated_data.pop("owner", None)
        lead = services.lead_update(
            lead=instance, actor=request_user(self), data=validated_data, lines=lines
        )
        if owner is not None and owner != lead.owner:
            lead = services.lead_reassign(lead=lead, actor=request_user(self), owner=owner)
        return lead


class LeadListSerializer(LeadSerializer):
    """An enquiry in a list: everything but its lines (on its own URL, or in the list with
    ``?expand=lines``)."""

    lines = None
    assign_by_rules = None

    class Meta(LeadSerializer.Meta):
        fields = [f for f in LeadSerializer.Meta.fields if f not in ("lines", "assign_by_rules")]


class DisqualifyInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReassignInput(serializers.Serializer):
    owner = StaffUserField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WebFormOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class WebFormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="text, email, textarea, number, choice, checkbox")
    required = serializers.BooleanField()
    help_text = serializers.CharField()
    options = WebFormOptionSerializer(many=True, help_text="For choice fields.")


class WebFormSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    introduction = serializers.CharField()
    submit_label = serializers.CharField()
    fields = WebFormFieldSerializer(many=True)
    token = serializers.CharField(
        help_text="Send it back with the answers; valid for a day, not before the form's "
        "minimum fill time."
    )


class WebFormSubmitInput(serializers.Serializer):
    token = serializers.CharField()
    homepage = serializers.CharField(
        required=False, allow_blank=True, help_text="Honeypot: leave empty."
    )
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text="The answers by field name, as in the form's `fields`.",
    )


class WebFormReceipt(serializers.Serializer):
    detail = serializers.CharField()
