"""The support desk's contributions to the base: numbering, roles, inbound and bounced e-mail,
demo data, menu and search, the customer 360 tab, tickets as records articles link to, and the
portal section. ``TicketsConfig.ready()`` calls :func:`connect`."""

from anymail.signals import inbound
from django.urls import reverse

from sfa.core.access import Role
from sfa.core.demo import register_loader
from sfa.core.knowledge import register_record_type
from sfa.core.mail import email_bounced
from sfa.core.navigation import MenuItem, register, register_search
from sfa.core.numbering import register_prefix
from sfa.core.roles import crud, grant
from sfa.customers.tabs import AccountTab, register_tab
from sfa.portal.sections import PortalSection, register_section


def register_numbers() -> None:
    """Ticket numbers: T-2026-00042."""
    register_prefix("ticket", "T")


def grant_roles() -> None:
    """Support works tickets, sales and billing read them; managers set up the desk."""
    calendars = [
        *crud("tickets.businesscalendar", "view", "add", "change"),
        *crud("tickets.workinghours", "view", "add", "change", "delete"),
        *crud("tickets.holiday", "view", "add", "change", "delete"),
    ]
    work = [
        *crud("tickets.ticket", "view", "add", "change"),
        *crud("tickets.ticketcomment", "view", "add"),
        *crud("tickets.ticketcategory", "view"),
        *crud("tickets.slapolicy", "view"),
    ]
    grant(Role.SUPPORT_AGENT, *work, *crud("tickets.businesscalendar", "view"))
    # sales and billing read the tickets of the customers they see (360 "Tickets" tab)
    for role in (Role.SALES_REP, Role.SALES_MANAGER, Role.BILLING_CLERK):
        grant(role, *crud("tickets.ticket", "view"), *crud("tickets.ticketcomment", "view"))
    grant(
        Role.SUPPORT_MANAGER,
        *work,
        *calendars,
        *crud("tickets.slapolicy", "add", "change"),
        *crud("tickets.inboundemail", "view"),
        *crud("tickets.ticketcategory", "add", "change"),
        "tickets.assign_ticket",
    )
    # Routing: managers set each team's mode (/tickets/teams/) and agents' availability.
    grant(
        Role.SUPPORT_MANAGER,
        *crud("tickets.teamrouting", "view", "add", "change"),
        *crud("tickets.agentstatus", "view", "change"),
    )
    # Canned responses: agents use them and keep their own (tickets.canned decides which);
    # managers also maintain the shared and team ones (admin, /tickets/canned/).
    grant(Role.SUPPORT_AGENT, *crud("tickets.cannedresponse", "view"))
    grant(Role.SUPPORT_MANAGER, *crud("tickets.cannedresponse", "view", "add", "change", "delete"))


def connect_email() -> None:
    """Inbound messages become tickets or replies; bounces are noted on tickets."""
    from tickets.signals import on_email_bounced, on_inbound_email

    inbound.connect(on_inbound_email, dispatch_uid="tickets-inbound-email")
    email_bounced.connect(on_email_bounced, dispatch_uid="tickets-email-bounced")


def connect_calendar_cache() -> None:
    """A changed calendar, working hours or holiday drops the calendar's cached schedule."""
    from django.db.models.signals import post_delete, post_save

    from tickets.models import BusinessCalendar, Holiday, WorkingHours
    from tickets.signals import on_calendar_changed

    for model in (BusinessCalendar, WorkingHours, Holiday):
        for signal in (post_save, post_delete):
            signal.connect(on_calendar_changed, sender=model, dispatch_uid=f"schedule-{model}")


def register_demo() -> None:
    """The demo tickets, routing, canned responses, article links and inbound e-mail."""
    from tickets.demo import (
        load_demo_article_links,
        load_demo_canned_responses,
        load_demo_inbound_email,
        load_demo_routing,
        load_demo_tickets,
    )

    register_loader(80, "tickets", load_demo_tickets)
    register_loader(81, "ticket routing", load_demo_routing)
    register_loader(82, "canned responses", load_demo_canned_responses)
    register_loader(83, "ticket articles", load_demo_article_links)
    register_loader(84, "inbound e-mail", load_demo_inbound_email)


def register_navigation() -> None:
    """The "Tickets" and "Support statistics" menu entries and the ticket search."""
    from tickets import views

    register(MenuItem("Tickets", "tickets:list", "tickets.view_ticket", order=40))
    # support managers' and administrators' (the page itself checks the role)
    register(MenuItem("Support statistics", "tickets:statistics", "tickets.assign_ticket", 41))
    register_search(views.ticket_search_provider)


def register_account_tab() -> None:
    """The customer 360 "Tickets" tab."""
    from tickets import views

    register_tab(
        AccountTab(
            key="tickets",
            label="Tickets",
            template="tickets/account_tab.html",
            context=views.account_tab_context,
            order=150,
            permission="tickets.view_ticket",
            count=views.account_tab_count,
        )
    )


def register_knowledge_links() -> None:
    """Knowledge-base articles linked to tickets: the article's page lists the tickets."""
    from tickets.models import Ticket
    from tickets.selectors import ticket_visible_to

    register_record_type(
        Ticket,
        label="Tickets",
        visible_to=ticket_visible_to,
        url=lambda ticket: reverse("tickets:detail", args=[ticket.pk]),
    )


def register_portal_section() -> None:
    """The customer portal's "Tickets" section: its pages live in tickets.portal."""
    register_section(
        PortalSection(
            key="tickets",
            label="Tickets",
            urls="tickets.portal.urls",
            order=10,
            home_template="tickets/portal/_home.html",
        )
    )


def connect() -> None:
    """Everything above, in this order (called from the AppConfig's ``ready()``)."""
    register_numbers()
    grant_roles()
    connect_email()
    connect_calendar_cache()
    register_demo()
    register_navigation()
    register_account_tab()
    register_knowledge_links()
    register_portal_section()
