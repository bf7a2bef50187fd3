"""Reactions of the support desk to signals of others: anymail's inbound mail, and the
outbox's bounce reports."""

from tickets import inbound, services


def on_inbound_email(sender, event, esp_name, **kwargs) -> None:
    """anymail's ``inbound`` signal: one received message."""
    inbound.receive(event.message, esp=esp_name)


def on_email_bounced(sender, email, event, **kwargs) -> None:
    """An e-mail about a ticket bounced: the agents see it on the ticket."""
    services.ticket_email_bounced(email=email)
