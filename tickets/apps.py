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
            *crud("tickets.ticketcategory", "add", "change"),
            "tickets.assign_ticket",
        )

        # The staff UI: demo data, menu, global search, the customer 360 tab.
        from sfa.core.demo import register_loader
        from sfa.core.navigation import MenuItem, register, register_search
        from sfa.customers.tabs import AccountTab, register_tab
        from tickets import views
        from tickets.demo import load_demo_tickets

        register_loader(80, "tickets", load_demo_tickets)
        register(MenuItem("Tickets", "tickets:list", "tickets.view_ticket", order=40))
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
