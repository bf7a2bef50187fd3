"""Enquiries' contributions to the base: numbering, roles, demo data, menu and search, the
customer 360 tab and what activities may regard. ``LeadsConfig.ready()`` calls
:func:`connect`."""

from sfa.core.access import Role
from sfa.core.demo import register_loader
from sfa.core.navigation import MenuItem, register, register_search
from sfa.core.numbering import register_prefix
from sfa.core.roles import crud, grant
from sfa.customers.regarding import register_regarding
from sfa.customers.tabs import AccountTab, register_tab


def register_numbers() -> None:
    """Enquiry numbers: ENQ-2026-00042."""
    register_prefix("enquiry", "ENQ")


def grant_roles() -> None:
    """Sales and marketing work enquiries; marketing runs web forms, sales managers the rules."""
    work = [
        *crud("leads.lead", "view", "add", "change"),
        *crud("leads.leadline", "view", "add", "change", "delete"),
    ]
    for role in (Role.SALES_MANAGER, Role.MARKETING_MANAGER, Role.SALES_REP):
        grant(role, *work)
    grant(Role.SALES_MANAGER, "leads.convert_lead", "leads.reassign_lead")
    grant(Role.MARKETING_MANAGER, "leads.reassign_lead")
    # Marketing runs the web forms; sales managers decide who gets which leads.
    web_forms = [
        *crud("leads.webform", "view", "add", "change", "delete"),
        *crud("leads.webformfield", "view", "add", "change", "delete"),
        *crud("leads.webformsubmission", "view"),
    ]
    grant(Role.MARKETING_MANAGER, *web_forms)
    grant(Role.SALES_MANAGER, *crud("leads.webform", "view"))
    grant(Role.SALES_MANAGER, *crud("leads.assignmentrule", "view", "add", "change", "delete"))
    grant(Role.MARKETING_MANAGER, *crud("leads.assignmentrule", "view"))
    grant(Role.SALES_REP, "leads.convert_lead")


def register_demo() -> None:
    """The demo enquiries and web forms."""
    from leads.demo import load_demo_leads, load_demo_web_forms

    register_loader(40, "enquiries", load_demo_leads)
    register_loader(41, "web forms", load_demo_web_forms)


def register_navigation() -> None:
    """The "Enquiries" menu entry and the enquiry search."""
    from leads import views

    register(MenuItem("Enquiries", "leads:list", "leads.view_lead", order=20))
    register_search(views.lead_search_provider)


def register_account_tab() -> None:
    """The customer 360 "Enquiries" tab."""
    from leads import views

    register_tab(
        AccountTab(
            key="enquiries",
            label="Enquiries",
            template="leads/account_tab.html",
            context=views.account_tab_context,
            order=110,
            permission="leads.view_lead",
            count=views.account_tab_count,
        )
    )


def register_regarding_model() -> None:
    """Activities, reminders and documents of an enquiry, also a prospect's (no customer)."""
    from leads import views
    from leads.models import Lead
    from leads.selectors import lead_visible_to

    register_regarding(
        Lead,
        visible_to=lead_visible_to,
        accepts=views.lead_takes_records,
        url=views.lead_url,
        label=views.lead_label,
    )


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    register_numbers()
    grant_roles()
    register_demo()
    register_navigation()
    register_account_tab()
    register_regarding_model()
