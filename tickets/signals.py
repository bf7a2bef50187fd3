"""Reactions of the support desk to signals: anymail's inbound mail, the outbox's bounce
reports, and changes of business calendars (their cached schedules)."""

from tickets import inbound, services
from tickets.models import BusinessCalendar
from tickets.services.sla import cached_schedule_drop


def on_calendar_changed(sender, instance, **kwargs) -> None:
    """A business calendar, its hours or holidays changed: drop its cached schedule."""
    calendar_id = instance.pk if sender is BusinessCalendar else instance.calendar_id
    cached_schedule_drop(calendar_id)


def on_inbound_email(sender, event, esp_name, **kwargs) -> None:
    """anymail's ``inbound`` signal: one received message."""
    inbound.receive(event.message, esp=esp_name)


def on_email_bounced(sender, email, event, **kwargs) -> None:
    """An e-mail about a ticket bounced: the agents see it on the ticket."""
    services.ticket_email_bounced(email=email)
