"""The desk's own internal notes on a ticket (routing, merges, e-mail, follow-ups, bounces,
SLA escalations). Part of the ticket services: ``tickets.services.ticket_system_note``."""

import datetime

from django.utils import timezone

from tickets.models import Ticket, TicketComment


def ticket_system_note(
    ticket: Ticket, body: str, at: datetime.datetime | None = None
) -> TicketComment:
    """An internal note written by the desk itself, dated ``at`` (default now)."""
    return TicketComment.objects.create(
        ticket=ticket,
        body=body,
        is_public=False,
        via=TicketComment.Via.SYSTEM,
        created_at=at or timezone.now(),
    )
