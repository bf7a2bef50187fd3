"""Opportunities' contributions to the base: roles, demo data, the pipeline menu entry, what
activities may regard, the customer 360 tab and the enquiry page's "Convert…" button.
``OpportunitiesConfig.ready()`` calls :func:`connect`."""

from sfa.core.access import Role
from sfa.core.demo import register_loader
from sfa.core.navigation import MenuItem, register
from sfa.core.panels import RecordPanel, register_panel
from sfa.core.roles import crud, grant
from sfa.customers.regarding import register_regarding
from sfa.customers.tabs import AccountTab, register_tab


def grant_roles() -> None:
    """Sales work opportunities, marketing reads them; sales managers set stages and quotas."""
    work = [
        *crud("opportunities.opportunity", "view", "add", "change"),
        *crud("opportunities.opportunityline", "view", "add", "change", "delete"),
        *crud("opportunities.stagesetting", "view"),
        *crud("opportunities.lostreason", "view"),
        *crud("opportunities.quota", "view"),
    ]
    for role in (Role.SALES_MANAGER, Role.SALES_REP):
        grant(role, *work)
    grant(
        Role.MARKETING_MANAGER,
        *crud("opportunities.opportunity", "view"),
        *crud("opportunities.stagesetting", "view"),
    )
    grant(
        Role.SALES_MANAGER,
        *crud("opportunities.stagesetting", "change"),
        *crud("opportunities.lostreason", "add", "change"),
        *crud("opportunities.quota", "add", "change"),
    )


def register_demo() -> None:
    """The demo opportunities and quotas."""
    from opportunities.demo import load_demo_opportunities, load_demo_quotas

    register_loader(50, "opportunities", load_demo_opportunities)
    register_loader(55, "quotas", load_demo_quotas)


def register_navigation() -> None:
    """The "Pipeline" menu entry."""
    register(
        MenuItem("Pipeline", "opportunities:board", "opportunities.view_opportunity", order=25)
    )


def register_regarding_model() -> None:
    """Activities, reminders and documents moved here from the converted enquiry."""
    from opportunities import views
    from opportunities.models import Opportunity
    from opportunities.selectors import opportunity_visible_to

    register_regarding(
        Opportunity,
        visible_to=opportunity_visible_to,
        url=views.opportunity_url,
        label=views.opportunity_label,
    )


def register_account_tab() -> None:
    """The customer 360 "Opportunities" tab."""
    from opportunities import views

    register_tab(
        AccountTab(
            key="opportunities",
            label="Opportunities",
            template="opportunities/account_tab.html",
            context=views.account_tab_context,
            order=120,
            permission="opportunities.view_opportunity",
            count=views.account_tab_count,
        )
    )


def register_panels() -> None:
    """The enquiry page's "Convert…" button: conversion is this app's page."""
    from opportunities import panels

    register_panel(
        RecordPanel(
            key="convert",
            label="Convert",
            model="leads.Lead",
            template="opportunities/panels/lead_convert.html",
            context=panels.lead_convert_action,
            order=100,
            permission="leads.convert_lead",
            slot="actions",
        )
    )


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    grant_roles()
    register_demo()
    register_navigation()
    register_regarding_model()
    register_account_tab()
    register_panels()
