"""Forms of the quote UI: the quote builder (header and lines), the decisions on the detail
page (the list's filters are ``quotes.filters``). They validate input only; ``quotes.services``
checks the quote as a whole."""

from decimal import Decimal

from django import forms

from opportunities.selectors import opportunity_visible_to
from quotes.models import Quote, QuoteLine
from sfa.catalog.forms import DocumentLineForm
from sfa.customers.selectors import account_visible_to, contact_visible_to

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Tax rates: any percentage, the catalogue's rates offered as suggestions (``#tax-rates``).
TAX_RATE = forms.NumberInput(attrs={"list": "tax-rates", "step": "0.01", "min": "0", "max": "100"})


class QuoteLineForm(DocumentLineForm):
    """A line of the builder: an item (product or free text, priced by the service), a section
    heading or a text line (their description only)."""

    kind = forms.ChoiceField(
        choices=QuoteLine.Kind.choices, initial=QuoteLine.Kind.ITEM, widget=forms.HiddenInput
    )
    unit = forms.CharField(max_length=20, required=False)
    tax_rate = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        label="Tax %",
        widget=TAX_RATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = False  # headings and text lines have none

    @property
    def kind_value(self) -> str:
        return self["kind"].value() or QuoteLine.Kind.ITEM

    @property
    def is_item(self) -> bool:
        return self.kind_value == QuoteLine.Kind.ITEM

    def clean(self):
        data = super().clean()
        if self.is_item and data.get("quantity") is None and not self.is_blank():
            self.add_error("quantity", "Enter the quantity.")
        return data

    def is_blank(self) -> bool:
        if self.is_item:
            return super().is_blank()
        return not getattr(self, "cleaned_data", {}).get("description")

    def line_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.base_fields}
        if not self.is_item:
            return {"kind": data["kind"], "description": data["description"]}
        return data


class BaseQuoteLineFormSet(forms.BaseFormSet):
    ordering_widget = forms.HiddenInput  # ORDER: set by the rows' up/down buttons


QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm, formset=BaseQuoteLineFormSet, extra=0, can_delete=True, can_order=True
)


AMOUNTS = ["document_discount_percent", "shipping", "shipping_tax_rate", "adjustment"]


class QuoteTotalsForm(forms.ModelForm):
    """What the totals depend on besides the lines (the builder's live preview); blank is 0."""

    class Meta:
        model = Quote
        fields = ["issue_date", "currency", *AMOUNTS]
        labels = {
            "document_discount_percent": "Document discount %",
            "shipping_tax_rate": "Shipping tax %",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def _post_clean(self):
        """Only the fields' own checks: nothing is saved."""


class QuoteForm(forms.ModelForm):
    """The quote without its lines. ``account`` (new quotes only: the customer cannot change)
    and ``contact`` come from the customer picker; blank addresses, texts, validity and payment
    terms of a new quote are filled in by the service from the customer and the templates."""

    class Meta:
        model = Quote
        fields = [
            "account", "contact", "opportunity", "title", "issue_date", "valid_until",
            "payment_terms", "delivery_period", "delivery_point", "bill_to", "ship_to",
            "introduction", "terms", "internal_notes", "document_discount_percent", "shipping",
            "shipping_tax_rate", "adjustment",
        ]  # fmt: skip
        widgets = {
            "account": forms.HiddenInput,
            "issue_date": DATE,
            "valid_until": DATE,
            "bill_to": forms.Textarea(attrs={"rows": 4}),
            "ship_to": forms.Textarea(attrs={"rows": 4}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "terms": forms.Textarea(attrs={"rows": 5}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
            "shipping_tax_rate": TAX_RATE,
        }
        labels = {
            "issue_date": "Quote date",
            "document_discount_percent": "Document discount %",
            "shipping_tax_rate": "Shipping tax %",
        }

    # Left blank on a new quote, the service fills these in (customer, templates, 30 days).
    DEFAULTED = {
        "valid_until": "Blank: 30 days after the quote date.",
        "payment_terms": "Blank: the customer's payment terms.",
        "bill_to": "Blank: the customer's address.",
        "ship_to": "Blank: the customer's default ship-to address.",
        "introduction": "Blank: the default introduction.",
        "terms": "Blank: the default terms and conditions.",
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["account"]
            self.fields["contact"].queryset = self.instance.account.contacts.filter(is_active=True)
        else:
            self.fields["account"].queryset = account_visible_to(user)
            self.fields["contact"].queryset = contact_visible_to(user).filter(is_active=True)
            self.fields["valid_until"].required = False
            for name, help_text in self.DEFAULTED.items():
                self.fields[name].help_text = help_text
        self.fields["opportunity"].queryset = opportunity_visible_to(user)
        for name in AMOUNTS:
            self.fields[name].required = False

    def service_data(self) -> dict:
        """What the service gets: blank amounts are 0; a new quote leaves out blank defaulted
        fields."""
        data = dict(self.cleaned_data)
        for name in AMOUNTS:
            if data.get(name) is None:
                data[name] = Decimal("0")
        if self.instance.pk is None:
            for name in self.DEFAULTED:
                if data.get(name) in (None, ""):
                    data.pop(name, None)
        return data

    def validate_unique(self):
        """Numbers are the service's business."""

    def _post_clean(self):
        """The service validates the quote as a whole (and names the fields)."""


def _required_text(**kwargs) -> forms.CharField:
    """Required in the browser; the service checks it too (and names the field)."""
    return forms.CharField(
        required=False, widget=forms.TextInput(attrs={"required": True}), **kwargs
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        help_text="What has to change; the owner reads it in the state history.",
    )


class AcceptForm(forms.Form):
    name = _required_text(max_length=200, label="Accepted by")
    comment = forms.CharField(max_length=2000, required=False)


class RejectForm(forms.Form):
    name = _required_text(max_length=200, label="Rejected by")
    reason = _required_text(max_length=300)
    comment = forms.CharField(max_length=2000, required=False)
