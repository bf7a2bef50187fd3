"""Quotes' contributions to the base: numbering, roles, what activities may regard, demo data,
menu and search, the customer 360 tab, the portal section and the opportunity page's panels.
``QuotesConfig.ready()`` calls :func:`connect`."""

from sfa.core.access import Role
from sfa.core.demo import register_loader
from sfa.core.navigation import MenuItem, register, register_search
from sfa.core.numbering import register_prefix
from sfa.core.panels import RecordPanel, register_panel
from sfa.core.roles import crud, grant
from sfa.customers.regarding import register_regarding
from sfa.customers.tabs import AccountTab, register_tab
from sfa.portal.sections import PortalSection, register_section


def register_numbers() -> None:
    """Quote numbers: Q-2026-00042."""
    register_prefix("quote", "Q")


def grant_roles() -> None:
    """Sales work quotes, marketing and billing read them; sales managers approve them."""
    work = [
        *crud("quotes.quote", "view", "add", "change"),
        *crud("quotes.quoteline", "view", "add", "change", "delete"),
        *crud("quotes.termstemplate", "view"),
        *crud("quotes.approvalrule", "view"),
    ]
    for role in (Role.SALES_MANAGER, Role.SALES_REP):
        grant(role, *work)
    grant(Role.MARKETING_MANAGER, *crud("quotes.quote", "view"))
    grant(Role.BILLING_CLERK, *crud("quotes.quote", "view"))
    grant(
        Role.SALES_MANAGER,
        "quotes.approve_quote",
        "quotes.reassign_quote",
        *crud("quotes.termstemplate", "add", "change"),
        *crud("quotes.approvalrule", "add", "change"),
    )


def register_regarding_model() -> None:
    """E-mails, activities and documents about a quote: whoever sees the quote sees them."""
    from quotes.models import Quote
    from quotes.selectors import quote_visible_to

    register_regarding(
        Quote,
        visible_to=quote_visible_to,
        url=Quote.get_absolute_url,
        label=lambda quote: quote.display_number,
    )


def register_demo() -> None:
    """The demo quotes."""
    from quotes.demo import load_demo_quotes

    register_loader(60, "quotes", load_demo_quotes)


def register_navigation() -> None:
    """The "Quotes" menu entry and the quote search."""
    from quotes import views

    register(MenuItem("Quotes", "quotes:list", "quotes.view_quote", order=27))
    register_search(views.quote_search_provider)


def register_account_tab() -> None:
    """The customer 360 "Quotes" tab."""
    from quotes import views

    register_tab(
        AccountTab(
            key="quotes",
            label="Quotes",
            template="quotes/account_tab.html",
            context=views.account_tab_context,
            order=130,
            permission="quotes.view_quote",
            count=views.account_tab_count,
        )
    )


def register_portal_section() -> None:
    """The customer portal's "Quotes" section: its pages live in quotes.portal."""
    register_section(
        PortalSection(
            key="quotes",
            label="Quotes",
            urls="quotes.portal.urls",
            order=20,
            home_template="quotes/portal/_home.html",
        )
    )


def register_panels() -> None:
    """The opportunity page's "Quotes" panel and "New quote" button."""
    from quotes import panels

    for panel in (
        RecordPanel(
            key="quotes",
            label="Quotes",
            model="opportunities.Opportunity",
            template="quotes/panels/opportunity_quotes.html",
            context=panels.opportunity_quotes,
            order=100,
            permission="quotes.view_quote",
        ),
        RecordPanel(
            key="new-quote",
            label="New quote",
            model="opportunities.Opportunity",
            template="quotes/panels/opportunity_new_quote.html",
            context=panels.opportunity_new_quote,
            order=100,
            permission="quotes.add_quote",
            slot="actions",
        ),
    ):
        register_panel(panel)


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    register_numbers()
    grant_roles()
    register_regarding_model()
    register_demo()
    register_navigation()
    register_account_tab()
    register_portal_section()
    register_panels()
