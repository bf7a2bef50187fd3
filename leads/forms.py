"""Forms of the enquiry UI: the enquiry with its lines, state changes (the list's filters:
``leads.filters``)."""

from django import forms

from leads.models import Lead
from sfa.core.forms import staff_users
from sfa.customers.selectors import account_visible_to, contact_visible_to

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The address without "state": on an enquiry that name is the workflow state.
ADDRESS = ["street", "street2", "postal_code", "city", "area", "region", "country"]
PROSPECT = ["company", "first_name", "last_name", "email", "phone", *ADDRESS]


class LeadForm(forms.ModelForm):
    """The enquiry without its lines; ``account`` is set by the customer picker."""

    class Meta:
        model = Lead
        fields = [
            "enquiry_date", "channel", "owner", "source", "source_detail", "account", "contact",
            *PROSPECT, "delivery_period", "payment_terms", "quote_due_date", "delivery_point",
            "remarks",
        ]  # fmt: skip
        widgets = {
            "enquiry_date": DATE,
            "quote_due_date": DATE,
            "account": forms.HiddenInput,
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = account_visible_to(user)
        self.fields["contact"].queryset = contact_visible_to(user).filter(is_active=True)
        self.fields["owner"].queryset = staff_users()
        if self.instance.pk is None:
            self.fields["owner"].required = False
            self.fields["owner"].empty_label = "— by the assignment rules —"
        self.fields["enquiry_date"].label = "Date"

    def validate_unique(self):
        """Numbers are the service's business."""

    def _post_clean(self):
        """The service validates the enquiry as a whole (and names the fields)."""


class DisqualifyForm(forms.Form):
    reason = forms.CharField(
        max_length=300, required=False, widget=forms.TextInput(attrs={"required": True})
    )


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=staff_users(), label="New owner")
    note = forms.CharField(max_length=2000, required=False)
