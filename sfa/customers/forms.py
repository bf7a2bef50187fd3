from django import forms

from sfa.core.forms import staff_users
from sfa.core.models import Team
from sfa.customers.custom_fields import definitions_for
from sfa.customers.models import (
    Account,
    Activity,
    Contact,
    Contract,
    CustomerType,
    CustomFieldDefinition,
    Reminder,
    ShipToAddress,
)
from sfa.customers.selectors import account_code_taken, account_visible_to

DATE = forms.DateInput(attrs={"type": "date"})
ADDRESS = ["street", "street2", "postal_code", "city", "area", "region", "state", "country"]


class AccountForm(forms.ModelForm):
    types = forms.ModelMultipleChoiceField(
        queryset=CustomerType.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Account
        fields = [
            "code", "name", "types", "group", "industry", "branch", "owner", "phone", "mobile",
            "fax", "email", "website", "vat_id", *ADDRESS, "credit_limit", "credit_hold",
            "payment_terms", "discount_privilege", "alert_message", "notes",
        ]  # fmt: skip
        widgets = {
            "alert_message": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = "Leave blank to generate one."
        self.fields["owner"].queryset = staff_users()

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip()
        if code and account_code_taken(code, exclude_pk=self.instance.pk):
            raise forms.ValidationError("A customer with this code already exists.")
        return code

    def validate_unique(self):
        """Uniqueness is the service's and the model's business (code may be generated)."""


class CustomFieldsForm(forms.Form):
    """The "Special" tab: one form field per definition that applies to the customer."""

    error_group = "custom_fields"  # the service's nested errors belong to these fields

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = definitions_for(account.industry_id)
        for definition in self.definitions:
            self.fields[definition.key] = self._field_for(definition)
            if not self.is_bound:
                self.initial[definition.key] = account.custom_fields.get(definition.key)

    @staticmethod
    def _field_for(definition: CustomFieldDefinition) -> forms.Field:
        kind = CustomFieldDefinition.FieldType
        common = {
            "label": definition.label,
            "required": False,
            "help_text": definition.help_text + (" (required)" if definition.is_required else ""),
        }
        if definition.field_type == kind.NUMBER:
            return forms.DecimalField(**common)
        if definition.field_type == kind.DATE:
            return forms.DateField(widget=DATE, **common)
        if definition.field_type == kind.CHOICE:
            choices = [("", "—")] + [(c, c) for c in definition.choices]
            return forms.ChoiceField(choices=choices, **common)
        if definition.field_type == kind.BOOLEAN:
            return forms.NullBooleanField(**common)
        return forms.CharField(max_length=1000, **common)

    def values(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class ShipToForm(forms.ModelForm):
    class Meta:
        model = ShipToAddress
        fields = ["label", "recipient", "phone", *ADDRESS, "is_default"]

    def validate_unique(self):
        """One default per customer: the service moves the flag."""


class ShipToEditForm(ShipToForm):
    class Meta(ShipToForm.Meta):
        fields = [*ShipToForm.Meta.fields, "is_active"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "salutation",
            "first_name",
            "last_name",
            "title",
            "department",
            "email",
            "phone",
            "mobile",
            "is_primary",
            "email_consent",
            "has_portal_access",
            "is_portal_manager",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self):
        """One primary contact per customer: the service moves the flag."""


class RegardingForm(forms.ModelForm):
    """A reminder or activity of a customer and/or about a record (an enquiry): both are set on
    the instance, so the model's checks run on them; the contact is one of the customer's."""

    def __init__(self, *args, account: Account | None, regarding=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.account, self.instance.regarding = account, regarding
        if account is None:  # a prospect's enquiry: no contacts to choose from
            del self.fields["contact"]
        else:
            self.fields["contact"].queryset = account.contacts.filter(is_active=True)


class ReminderForm(RegardingForm):
    class Meta:
        model = Reminder
        fields = ["subject", "due_date", "assignee", "contact", "notes"]
        widgets = {"due_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users()
        self.fields["assignee"].required = False
        self.fields["assignee"].help_text = "Yourself when left blank."


class ActivityForm(RegardingForm):
    class Meta:
        model = Activity
        fields = ["kind", "subject", "body", "contact", "occurred_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3}),
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c for c in Activity.Kind.choices if c[0] != Activity.Kind.SYSTEM
        ]


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField()


class ContractForm(forms.ModelForm):
    file = forms.FileField(required=False)

    class Meta:
        model = Contract
        fields = [
            "title",
            "start_date",
            "end_date",
            "review_date",
            "value",
            "currency",
            "status",
            "notes",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "review_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, required=False, label="Colleague")
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False)

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_users().exclude(pk=account.owner_id)

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("team")):
            raise forms.ValidationError("Choose a colleague or a team.")
        return data


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecisionForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class SavedFilterForm(forms.Form):
    name = forms.CharField(max_length=120)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)


class ImportForm(forms.Form):
    KIND_CHOICES = [("accounts", "Customers"), ("contacts", "Contacts"), ("products", "Products")]
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    file = forms.FileField(
        help_text="CSV (UTF-8, comma or semicolon) or XLSX, first row = column names."
    )


def customer_picker(user, account, contact_id=None) -> dict:
    """The context of ``customers/partials/customer_picker.html`` (served by
    ``customers:pick``): ``account`` is an Account, a posted id or empty; ids the user may
    not see count as empty."""
    if account is not None and not isinstance(account, Account):
        value = str(account or "")
        account = account_visible_to(user).filter(pk=value).first() if value.isdigit() else None
    contacts = account.contacts.filter(is_active=True) if account is not None else []
    return {"account": account, "contacts": contacts, "contact_id": str(contact_id or "")}
