from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sfa.core.api.mixins import StateMachineSerializerMixin
from sfa.core.models import Team
from sfa.customers import services
from sfa.customers.fields import (
    NameRelatedField,
    StaffUserField,
    VisibleAccountField,
    VisibleContactField,
    request_user,
)
from sfa.customers.models import (
    Account,
    Activity,
    Contact,
    Contract,
    CustomerType,
    CustomFieldDefinition,
    DeletionRequest,
    Document,
    Reminder,
    ShipToAddress,
)
from sfa.customers.selectors import account_code_taken

ADDRESS_FIELDS = ["street", "street2", "postal_code", "city", "area", "region", "state", "country"]


class AccountSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    types = NameRelatedField(
        slug_field="name", many=True, required=False, queryset=CustomerType.objects.all()
    )
    owner = StaffUserField(required=False, allow_null=True)
    code = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Generated when left blank."
    )
    custom_fields = serializers.JSONField(required=False)
    owner_name = serializers.CharField(source="owner", read_only=True, default=None)

    class Meta:
        model = Account
        fields = [
            "id", "code", "name", "status", "available_transitions", "types", "group",
            "industry", "branch", "owner", "owner_name", "phone", "mobile", "fax", "email",
            "website", "vat_id", *ADDRESS_FIELDS, "credit_limit", "credit_hold", "payment_terms",
            "discount_privilege", "alert_message", "notes", "custom_fields", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "created_at", "updated_at"]
        validators = []  # uniqueness of code is checked by the model on save

    def validate_code(self, value: str) -> str:
        value = value.strip()
        if value:
            exclude = self.instance.pk if self.instance is not None else None
            if account_code_taken(value, exclude_pk=exclude):
                raise serializers.ValidationError("A customer with this code already exists.")
        return value

    def create(self, validated_data):
        types = validated_data.pop("types", ())
        return services.account_create(actor=request_user(self), data=validated_data, types=types)

    def update(self, instance, validated_data):
        types = validated_data.pop("types", None)
        return services.account_update(
            account=instance, actor=request_user(self), data=validated_data, types=types
        )


class ContactSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = Contact
        fields = [
            "id", "account", "salutation", "first_name", "last_name", "title", "department",
            "email", "phone", "mobile", "is_primary", "email_consent", "email_consent_at",
            "has_portal_access", "is_portal_manager", "is_active", "notes", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["email_consent_at", "is_active", "created_at", "updated_at"]
        validators = []  # one primary per account: the service moves the flag

    def save_through_service(self, contact: Contact) -> Contact:
        return services.contact_save(actor=request_user(self), contact=contact)

    def create(self, validated_data):
        return self.save_through_service(Contact(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_through_service(instance)


class ShipToAddressSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()

    class Meta:
        model = ShipToAddress
        fields = [
            "id",
            "account",
            "label",
            "recipient",
            "phone",
            *ADDRESS_FIELDS,
            "is_default",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one default per account: the service moves the flag

    def create(self, validated_data):
        return services.ship_to_save(
            actor=request_user(self), address=ShipToAddress(**validated_data)
        )

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.ship_to_save(actor=request_user(self), address=instance)


REGARDING_SCHEMA = {
    "type": "object",
    "nullable": True,
    "readOnly": True,
    "properties": {
        "type": {"type": "string", "description": 'The record\'s kind, e.g. "leads.lead".'},
        "id": {"type": "integer"},
    },
    "required": ["type", "id"],
}


@extend_schema_field(REGARDING_SCHEMA)
class RegardingField(serializers.Field):
    """The record a row is about besides its customer (an enquiry), or null. Read-only."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        if value.regarding_type_id is None:
            return None
        kind = ContentType.objects.get_for_id(value.regarding_type_id)  # cached: no query a row
        return {"type": f"{kind.app_label}.{kind.model}", "id": value.regarding_id}


class RegardingRowSerializer(serializers.ModelSerializer):
    """Of a customer (``account``), or about a record such as a prospect's enquiry
    (``regarding``, read-only; ``account`` is then null). Created here for a customer only:
    ``account`` is required when creating one."""

    account = VisibleAccountField(allow_null=True)
    regarding = RegardingField()

    def validate_account(self, value):
        if value is None and self.instance is None:
            raise serializers.ValidationError("Choose a customer.")
        if value is None and self.instance.regarding_id is None:
            raise serializers.ValidationError("This record needs its customer.")
        return value


class ReminderSerializer(RegardingRowSerializer):
    contact = VisibleContactField(required=False, allow_null=True)
    assignee = StaffUserField(required=False)

    class Meta:
        model = Reminder
        fields = [
            "id",
            "account",
            "regarding",
            "contact",
            "subject",
            "notes",
            "due_date",
            "assignee",
            "is_done",
            "done_at",
            "is_overdue",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["done_at", "created_by", "created_at"]

    def create(self, validated_data):
        validated_data.pop("is_done", None)
        return services.reminder_create(actor=request_user(self), **validated_data)

    def update(self, instance, validated_data):
        return services.reminder_update(
            actor=request_user(self), reminder=instance, data=validated_data
        )


class ActivitySerializer(RegardingRowSerializer):
    contact = VisibleContactField(required=False, allow_null=True)
    user_name = serializers.CharField(source="user", read_only=True, default=None)

    class Meta:
        model = Activity
        fields = [
            "id",
            "account",
            "regarding",
            "contact",
            "kind",
            "subject",
            "body",
            "occurred_at",
            "user",
            "user_name",
            "created_at",
        ]
        read_only_fields = ["user", "created_at"]

    def create(self, validated_data):
        return services.activity_log(actor=request_user(self), **validated_data)


class DocumentSerializer(RegardingRowSerializer):
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "account",
            "regarding",
            "title",
            "file",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
        extra_kwargs = {"title": {"required": False}}

    def get_download_url(self, obj) -> str:
        return f"/api/v1/documents/{obj.pk}/download/"

    def create(self, validated_data):
        return services.document_upload(
            actor=request_user(self),
            account=validated_data["account"],
            upload=validated_data["file"],
            title=validated_data.get("title", ""),
        )


class ContractSerializer(serializers.ModelSerializer):
    account = VisibleAccountField()
    file = serializers.FileField(write_only=True, required=False)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "account",
            "number",
            "title",
            "start_date",
            "end_date",
            "review_date",
            "value",
            "currency",
            "status",
            "notes",
            "file",
            "has_file",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "created_at", "updated_at"]

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": ["Ends before it starts."]})
        return attrs

    def create(self, validated_data):
        upload = validated_data.pop("file", None)
        return services.contract_save(
            actor=request_user(self), contract=Contract(**validated_data), upload=upload
        )

    def update(self, instance, validated_data):
        upload = validated_data.pop("file", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.contract_save(actor=request_user(self), contract=instance, upload=upload)


class CustomFieldDefinitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomFieldDefinition
        fields = [
            "id",
            "key",
            "label",
            "field_type",
            "choices",
            "is_required",
            "industries",
            "help_text",
            "position",
            "is_active",
        ]


class DeletionRequestSerializer(StateMachineSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = DeletionRequest
        fields = [
            "id",
            "account",
            "account_label",
            "reason",
            "state",
            "available_transitions",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class DeletionRequestInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ShareInput(serializers.Serializer):
    user = StaffUserField(required=False, allow_null=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
