"""Reactions of the support desk to signals of others: anymail's inbound mail, and the
outbox's bounce reports."""

from django.contrib.contenttypes.models import ContentType

from tickets import inbound, services
from tickets.models import Ticket


def on_inbound_email(sender, event, esp_name, **kwargs) -> None:
    """anymail's ``inbound`` signal: one received message."""
    inbound.receive(event.message, esp=esp_name)


def on_email_bounced(sender, email, event, **kwargs) -> None:
    """An e-mail about a ticket bounced: the agents see it on the ticket."""
    if email.content_type_id != ContentType.objects.get_for_model(Ticket).pk:
        return
    ticket = Ticket.objects.filter(pk=email.object_id).first()
    if ticket is None:
        return
    services.ticket_system_note(
        ticket,
        f'The e-mail "{email.subject}" to {", ".join(email.to)} bounced: '
        f"{email.last_error}. Check the customer's address.",
    )
