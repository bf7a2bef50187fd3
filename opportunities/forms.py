from django import forms

from sfa.customers.models import Account, Contact

NEW = "new"


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
