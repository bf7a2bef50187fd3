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
        grant(
            Role.SUPPORT_MANAGER,
            *work,
            *calendars,
            *crud("tickets.slapolicy", "add", "change"),
            *crud("tickets.ticketcategory", "add", "change"),
            "tickets.assign_ticket",
        )
