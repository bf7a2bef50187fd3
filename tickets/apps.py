from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Support desk"

    def ready(self) -> None:
        from sfa.core.access import Role
        from sfa.core.roles import crud, grant

        calendars = [
            *crud("tickets.businesscalendar", "view", "add", "change"),
            *crud("tickets.workinghours", "view", "add", "change", "delete"),
            *crud("tickets.holiday", "view", "add", "change", "delete"),
        ]
        grant(Role.SUPPORT_MANAGER, *calendars)
        grant(Role.SUPPORT_AGENT, *crud("tickets.businesscalendar", "view"))
