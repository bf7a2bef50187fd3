"""Customers' contributions to the base: contract numbering, roles, the 360 page's own tabs,
the customer and contact imports, menu and search, and demo data. ``CustomersConfig.ready()``
calls :func:`connect`."""

from sfa.core.access import Role
from sfa.core.choices import cache_choices_of
from sfa.core.demo import register_loader
from sfa.core.navigation import MenuItem, register, register_search
from sfa.core.numbering import register_prefix
from sfa.core.roles import crud, grant


def register_numbers() -> None:
    """Contract numbers: CT-2026-00042."""
    register_prefix("contract", "CT")


def grant_roles() -> None:
    """Sales work customers; marketing, billing and support see them and log their part."""
    reference = [
        "customertype",
        "customergroup",
        "industry",
        "paymentterm",
        "customfielddefinition",
    ]
    every_staff = [p for m in reference for p in crud(f"customers.{m}", "view")]
    records = ["contact", "shiptoaddress", "reminder", "activity", "document", "contract"]
    full = crud("customers.account", "view", "add", "change") + [
        p for m in records for p in crud(f"customers.{m}", "view", "add", "change")
    ]
    view_all = crud("customers.account", "view") + [
        p for m in records for p in crud(f"customers.{m}", "view")
    ]
    extras = [
        "customers.archive_account",
        "customers.export_account",
        "customers.import_account",
    ]
    saved = crud("customers.savedfilter", "view", "add", "change", "delete")
    requests = crud("customers.deletionrequest", "view", "add")
    for role in (Role.SALES_MANAGER, Role.SALES_REP):
        grant(role, *every_staff, *full, *extras, *saved, *requests)
    grant(
        Role.SALES_MANAGER,
        "customers.approve_account_deletion",
        *crud("customers.customfielddefinition", "add", "change"),
    )
    grant(
        Role.MARKETING_MANAGER,
        *every_staff,
        *view_all,
        *saved,
        "customers.export_account",
        "customers.import_account",
        *crud("customers.contact", "add", "change"),
        *crud("customers.activity", "add"),
    )
    grant(
        Role.BILLING_CLERK,
        *every_staff,
        *view_all,
        *saved,
        "customers.export_account",
        *crud("customers.account", "change"),
        *crud("customers.activity", "add"),
        *crud("customers.reminder", "add", "change"),
    )
    for role in (Role.SUPPORT_MANAGER, Role.SUPPORT_AGENT):
        grant(
            role,
            *every_staff,
            *view_all,
            *saved,
            *crud("customers.activity", "add"),
            *crud("customers.reminder", "add", "change"),
        )
    grant(Role.SUPPORT_MANAGER, *crud("customers.contact", "add", "change"))


def register_tabs() -> None:
    """The customer 360 page's own tabs."""
    from sfa.customers.builtin_tabs import register_builtin_tabs

    register_builtin_tabs()


def register_importers() -> None:
    """The customer and contact imports."""
    from sfa.customers.resources import register_customer_importers

    register_customer_importers()


def register_navigation() -> None:
    """The menu (home, customers, reminders, deletion requests) and customer and contact search."""
    from sfa.customers import views

    register(MenuItem("Home", "home", order=0))
    register(MenuItem("Customers", "customers:list", "customers.view_account", order=10))
    register(MenuItem("Reminders", "customers:reminders", "customers.view_reminder", order=90))
    register(
        MenuItem(
            "Deletion requests",
            "customers:deletion-requests",
            "customers.approve_account_deletion",
            order=95,
        )
    )
    register_search(views.account_search_provider)
    register_search(views.contact_search_provider)


def register_demo() -> None:
    """The demo customers."""
    from sfa.customers.demo import load_demo_customers

    register_loader(10, "customers", load_demo_customers)


def cache_pickers() -> None:
    """Customer types and groups: pickers of every customer filter form."""
    from sfa.customers.models import CustomerGroup, CustomerType

    cache_choices_of(CustomerType, CustomerGroup)


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    register_numbers()
    grant_roles()
    register_tabs()
    register_importers()
    register_navigation()
    register_demo()
    cache_pickers()
