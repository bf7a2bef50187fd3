"""The customer 360 page's own tabs (other apps register theirs the same way)."""

from django.db.models import Count, Q

from sfa.customers import selectors, services
from sfa.customers.forms import (
    ActivityForm,
    ContactForm,
    ContractForm,
    CustomFieldsForm,
    DocumentForm,
    ReminderForm,
    ShareForm,
    ShipToForm,
)
from sfa.customers.history import account_history
from sfa.customers.models import Reminder
from sfa.customers.tabs import AccountTab, register_tab


def _special(request, account):
    form = CustomFieldsForm(account=account)
    rows = [(d, account.custom_fields.get(d.key)) for d in form.definitions]
    return {"form": form, "rows": rows}


def _main(request, account):
    return {
        "shares": account.shares.select_related("user", "team"),
        "can_share": services.can_share(account=account, actor=request.user),
        "form": ShareForm(account=account),
    }


def _accounting(request, account):
    return {}


def _ship_to(request, account):
    return {"addresses": account.ship_to.all(), "form": ShipToForm()}


def _contacts(request, account):
    return {
        "contacts": account.contacts.order_by("-is_active", "-is_primary", "last_name"),
        "form": ContactForm(),
    }


def _activities(request, account):
    return {
        "timeline": selectors.account_timeline(account=account, user=request.user),
        "form": ActivityForm(account=account),
    }


def _reminders(request, account):
    return {
        "reminders": account.reminders.select_related("assignee", "contact"),
        "form": ReminderForm(account=account, initial={"assignee": request.user}),
    }


def _documents(request, account):
    return {"documents": account.documents.select_related("uploaded_by"), "form": DocumentForm()}


def _contracts(request, account):
    return {"contracts": account.contracts.all(), "form": ContractForm()}


def _history(request, account):
    return {"changes": account_history(account)}


def _open_reminders(request, account):
    return Reminder.objects.filter(account=account, is_done=False).count()


def _active_contacts(request, account):
    return account.contacts.aggregate(n=Count("pk", filter=Q(is_active=True)))["n"]


def register_builtin_tabs() -> None:
    tabs = [
        ("main", "Main", _main, None, None),
        ("special", "Special", _special, None, None),
        ("accounting", "Accounting", _accounting, None, None),
        ("ship-to", "Ship-to", _ship_to, "customers.view_shiptoaddress", None),
        ("contacts", "Contacts", _contacts, "customers.view_contact", _active_contacts),
        ("activities", "Activities", _activities, "customers.view_activity", None),
        ("reminders", "Reminders", _reminders, "customers.view_reminder", _open_reminders),
        ("documents", "Documents", _documents, "customers.view_document", None),
        ("contracts", "Contracts", _contracts, "customers.view_contract", None),
        ("history", "History", _history, None, None),
    ]
    for order, (key, label, context, permission, count) in enumerate(tabs):
        order_value = 900 if key == "history" else (order + 1) * 10
        register_tab(
            AccountTab(
                key=key,
                label=label,
                template=f"customers/tabs/{key.replace('-', '_')}.html",
                context=context,
                order=order_value,
                permission=permission,
                count=count,
            )
        )
