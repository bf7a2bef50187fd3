from rest_framework import serializers

from opportunities import quotas, services
from opportunities.models import OPEN_STAGES, LostReason, Opportunity, OpportunityLine, Quota
from sfa.catalog.fields import LINE_FIELDS, LINE_READ_ONLY, DocumentLineSerializer
from sfa.core.api.mixins import StateMachineSerializerMixin
from sfa.customers.fields import (
    StaffUserField,
    VisibleAccountField,
    VisibleContactField,
    request_user,
)


class OpportunityLineSerializer(DocumentLineSerializer):
    class Meta:
        model = OpportunityLine
        fields = LINE_FIELDS
        read_only_fields = LINE_READ_ONLY


class OpportunitySerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    account = VisibleAccountField()
    contact = VisibleContactField(required=False, allow_null=True)
    owner = StaffUserField(required=False)
    lines = OpportunityLineSerializer(many=True, required=False)
    weighted_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id", "title", "state", "available_transitions", "account", "contact", "owner",
            "branch", "probability", "amount", "weighted_amount", "currency",
            "expected_close_date", "next_step", "next_step_date", "source_lead", "competitors",
            "notes", "lines", "lost_reason", "lost_detail", "stage_changed_at", "closed_at",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "state",
            "branch",
            "source_lead",
            "lost_reason",
            "lost_detail",
            "stage_changed_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        lines = validated_data.pop("lines", [])
        return services.opportunity_create(
            actor=request_user(self), data=validated_data, lines=lines
        )

    def update(self, instance, validated_data):
        lines = validated_data.pop("lines", None)
        return services.opportunity_update(
            opportunity=instance, actor=request_user(self), data=validated_data, lines=lines
        )


class OpportunityListSerializer(OpportunitySerializer):
    """A deal in a list: everything but its lines (on its own URL, or in the list with
    ``?expand=lines``)."""

    lines = None

    class Meta(OpportunitySerializer.Meta):
        fields = [f for f in OpportunitySerializer.Meta.fields if f != "lines"]


class MoveInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[(s.value, s.label) for s in OPEN_STAGES])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LoseInput(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(queryset=LostReason.objects.filter(is_active=True))
    detail = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ConvertInput(serializers.Serializer):
    account = VisibleAccountField(
        required=False, allow_null=True, help_text="Link this customer instead of creating one."
    )
    contact = VisibleContactField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CandidateAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    city = serializers.CharField()


class CandidateContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    full_name = serializers.CharField()
    email = serializers.CharField()


class ConversionPreviewSerializer(serializers.Serializer):
    accounts = CandidateAccountSerializer(many=True)
    contacts = CandidateContactSerializer(many=True)
    creates_account = serializers.BooleanField()
    mapped = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="What the conversion mapping takes from the enquiry, per target "
        "(account, contact, opportunity): field → value. Existing records take only the "
        "values they lack, unless the mapping line overwrites.",
    )


class QuotaSerializer(serializers.ModelSerializer):
    owner = StaffUserField()

    class Meta:
        model = Quota
        fields = [
            "id", "owner", "period_start", "period_end", "amount", "currency", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        # The model answers a clash of periods with an error on ``period_start`` (400); DRF's
        # unique-together validator would report it as a non-field error instead.
        validators = []

    def create(self, validated_data):
        return quotas.quota_save(quota=Quota(**validated_data), actor=request_user(self))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return quotas.quota_save(quota=instance, actor=request_user(self))
