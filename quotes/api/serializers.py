from rest_framework import serializers

from quotes import services
from quotes.models import Quote, QuoteLine
from sfa.catalog.fields import LINE_FIELDS, LINE_READ_ONLY, DocumentLineSerializer
from sfa.core.api.mixins import StateMachineSerializerMixin
from sfa.core.fsm import available_transitions
from sfa.customers.fields import (
    StaffUserField,
    VisibleAccountField,
    VisibleContactField,
    request_user,
)

# The state machine's names → the API's transition endpoints (None: not a request of anyone).
API_TRANSITIONS = {
    "submit": "submit",
    "approve": "approve",
    "send_back": "send_back",
    "send": "mark_sent",
    "send_approved": "mark_sent",
    "accept": "accept",
    "reject": "reject",
    "supersede": "revise",
    "expire": None,
}


class QuoteLineSerializer(DocumentLineSerializer):
    kind = serializers.ChoiceField(choices=QuoteLine.Kind.choices, default=QuoteLine.Kind.ITEM)

    class Meta:
        model = QuoteLine
        fields = [*LINE_FIELDS, "kind", "tax_amount"]
        read_only_fields = [*LINE_READ_ONLY, "tax_amount"]

    def validate(self, attrs):
        if attrs.get("kind", QuoteLine.Kind.ITEM) != QuoteLine.Kind.ITEM:
            return attrs  # headings and text: the service checks the text
        return super().validate(attrs)


class TaxSummarySerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    base = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax = serializers.DecimalField(max_digits=14, decimal_places=2)


class QuoteSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    account = VisibleAccountField()
    contact = VisibleContactField(required=False, allow_null=True)
    owner = StaffUserField(required=False)
    lines = QuoteLineSerializer(many=True, required=False)
    tax_summary = TaxSummarySerializer(many=True, read_only=True)
    display_number = serializers.CharField(read_only=True)
    has_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id", "number", "version", "display_number", "state", "available_transitions",
            "account", "contact", "owner", "branch", "opportunity", "previous_version", "title",
            "currency", "issue_date", "valid_until", "payment_terms", "delivery_period",
            "delivery_point", "bill_to", "ship_to", "introduction", "terms", "internal_notes",
            "lines", "document_discount_percent", "shipping", "shipping_tax_rate", "adjustment",
            "subtotal", "discount_total", "tax_total", "total", "tax_summary",
            "approval_reasons", "approved_by", "approved_at", "sent_at", "has_pdf",
            "answered_at", "answered_by_name", "answer_comment", "rejection_reason",
            "state_changed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "number", "version", "state", "branch", "previous_version", "subtotal",
            "discount_total", "tax_total", "total", "approval_reasons", "approved_by",
            "approved_at", "sent_at", "answered_at", "answered_by_name", "answer_comment",
            "rejection_reason", "state_changed_at", "created_at", "updated_at",
        ]  # fmt: skip

    valid_until = serializers.DateField(
        required=False, help_text="Defaults to 30 days after the issue date."
    )

    def get_available_transitions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        names = {
            API_TRANSITIONS.get(name, name) for name in available_transitions(obj, request.user)
        }
        return sorted(name for name in names if name)

    def get_has_pdf(self, obj) -> bool:
        return bool(obj.pdf)

    def validate_opportunity(self, value):
        from opportunities.selectors import opportunity_visible_to

        user = request_user(self)
        if value is not None and not opportunity_visible_to(user).filter(pk=value.pk).exists():
            raise serializers.ValidationError("No such opportunity.")
        return value

    def create(self, validated_data):
        lines = validated_data.pop("lines", [])
        return services.quote_create(actor=request_user(self), data=validated_data, lines=lines)

    def update(self, instance, validated_data):
        lines = validated_data.pop("lines", None)
        return services.quote_update(
            quote=instance, actor=request_user(self), data=validated_data, lines=lines
        )


class QuoteListSerializer(QuoteSerializer):
    """A quote in a list: its header and totals; its lines, tax summary and texts are on its
    own URL (or in the list with ``?expand=lines``)."""

    lines = None
    tax_summary = None

    class Meta(QuoteSerializer.Meta):
        fields = [
            "id", "number", "version", "display_number", "state", "available_transitions",
            "account", "contact", "owner", "branch", "opportunity", "previous_version", "title",
            "currency", "issue_date", "valid_until", "subtotal", "discount_total", "tax_total",
            "total", "approved_at", "sent_at", "has_pdf", "answered_at", "state_changed_at",
            "created_at", "updated_at",
        ]  # fmt: skip


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class AnswerInput(serializers.Serializer):
    """The customer's answer, recorded by staff (e.g. accepted by phone)."""

    name = serializers.CharField(max_length=200, help_text="Who accepted or rejected.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RejectInput(AnswerInput):
    reason = serializers.CharField(max_length=300)


class FromOpportunityInput(serializers.Serializer):
    opportunity = serializers.IntegerField()
