from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Support desk"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.numbering import register_prefix
        from sfa.core.roles import crud, grant

        register_prefix("ticket", "T")

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

        # The staff UI: demo data, menu, global search, the customer 360 tab.
        # E-mail: inbound messages become tickets or replies; bounces are noted on tickets.
        from anymail.signals import inbound

        from sfa.core.demo import register_loader
        from sfa.core.mail import email_bounced
        from sfa.core.navigation import MenuItem, register, register_search
        from sfa.customers.tabs import AccountTab, register_tab
        from tickets import views
        from tickets.demo import load_demo_inbound_email, load_demo_routing, load_demo_tickets
        from tickets.signals import on_email_bounced, on_inbound_email

        inbound.connect(on_inbound_email, dispatch_uid="tickets-inbound-email")
        email_bounced.connect(on_email_bounced, dispatch_uid="tickets-email-bounced")

        register_loader(80, "tickets", load_demo_tickets)
        register_loader(81, "ticket routing", load_demo_routing)
        register_loader(84, "inbound e-mail", load_demo_inbound_email)
        register(MenuItem("Tickets", "tickets:list", "tickets.view_ticket", order=40))
        # support managers' and administrators' (the page itself checks the role)
        register(MenuItem("Support statistics", "tickets:statistics", "tickets.assign_ticket", 41))
        register_search(views.ticket_search_provider)
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

        # Canned responses: agents use them and keep their own (tickets.canned decides which);
        # managers also maintain the shared and team ones (admin, /tickets/canned/).
        grant(Role.SUPPORT_AGENT, *crud("tickets.cannedresponse", "view"))
        grant(
            Role.SUPPORT_MANAGER, *crud("tickets.cannedresponse", "view", "add", "change", "delete")
        )

        from tickets.demo import load_demo_article_links, load_demo_canned_responses

        register_loader(82, "canned responses", load_demo_canned_responses)
        register_loader(83, "ticket articles", load_demo_article_links)

        # Knowledge-base articles linked to tickets: the article's page lists the tickets.
        from django.urls import reverse

        from sfa.core.knowledge import register_record_type
        from tickets.models import Ticket
        from tickets.selectors import ticket_visible_to

        register_record_type(
            Ticket,
            label="Tickets",
            visible_to=ticket_visible_to,
            url=lambda ticket: reverse("tickets:detail", args=[ticket.pk]),
        )

        # The customer portal's "Tickets" section: its pages live in tickets.portal.
        from sfa.portal.sections import PortalSection, register_section

        register_section(
            PortalSection(
                key="tickets",
                label="Tickets",
                urls="tickets.portal.urls",
                order=10,
                home_template="tickets/portal/_home.html",
            )
        )
