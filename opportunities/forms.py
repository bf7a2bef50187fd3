"""Forms of the opportunity UI: conversion of an enquiry, the opportunity with its lines."""

from django import forms

from opportunities.models import Opportunity
from sfa.customers.models import Account, Contact
from sfa.customers.selectors import account_visible_to, contact_visible_to

NEW = "new"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConvertForm(forms.Form):
    """Link an existing customer/contact (offered from the matches) or create new ones."""

    account_choice = forms.ChoiceField(label="Customer", widget=forms.RadioSelect)
    contact_choice = forms.ChoiceField(label="Contact", widget=forms.RadioSelect, required=False)
    title = forms.CharField(
        max_length=200, required=False, help_text="Defaults to the enquiry number and customer."
    )
    expected_close_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, lead, accounts: list[Account], contacts: list[Contact], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(a.pk), f"{a.code} · {a.name} ({a.city or a.email or '—'})") for a in accounts
        ]
        if not lead.account_id:
            choices.append((NEW, f"Create a new customer “{lead.display_name}”"))
        self.fields["account_choice"].choices = choices
        self.fields["contact_choice"].choices = [
            (str(c.pk), f"{c.full_name} <{c.email}> — {c.account.name}") for c in contacts
        ] + [(NEW, "Create or find the contact from the enquiry's person")]
        self.initial.setdefault("account_choice", choices[0][0] if choices else NEW)
        self.initial.setdefault("contact_choice", str(contacts[0].pk) if contacts else NEW)
        self.accounts = {str(a.pk): a for a in accounts}
        self.contacts = {str(c.pk): c for c in contacts}

    def chosen(self) -> dict:
        data = self.cleaned_data
        return {
            "account": self.accounts.get(data["account_choice"]),
            "contact": self.contacts.get(data.get("contact_choice") or NEW),
            "title": data["title"],
            "expected_close_date": data["expected_close_date"],
        }


class OpportunityForm(forms.ModelForm):
    """The opportunity without its lines; ``account`` and ``contact`` come from the customer
    picker, ``owner`` offers only the users the acting user may give the deal to."""

    class Meta:
        model = Opportunity
        fields = [
            "title", "account", "contact", "owner", "amount", "currency", "probability",
            "expected_close_date", "next_step", "next_step_date", "competitors", "notes",
        ]  # fmt: skip
        widgets = {
            "account": forms.HiddenInput,
            "expected_close_date": DATE,
            "next_step_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"probability": "Probability %", "next_step_date": "Next step on"}
        help_texts = {
            "amount": "Enter it for a deal without lines; with lines it is computed from them."
        }

    def __init__(self, *args, user, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = account_visible_to(user)
        self.fields["contact"].queryset = contact_visible_to(user).filter(is_active=True)
        self.fields["owner"].queryset = owners
        self.fields["amount"].required = False

    def clean(self):
        data = super().clean()
        if data.get("amount") is None:
            data.pop("amount", None)  # create: 0.00; edit: unchanged (or from the lines)
        return data

    def validate_unique(self):
        """Nothing unique to check."""

    def _post_clean(self):
        """The service validates the opportunity as a whole (and names the fields)."""
