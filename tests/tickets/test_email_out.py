"""Outgoing ticket e-mail: public replies reach the customer in the ticket's thread, with
their files; internal notes never leave the house."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sfa.core.models import OutgoingEmail
from tests import factories
from tickets import services
from tickets.models import TicketMessageId

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def support_address(settings):
    settings.SFA_SUPPORT_EMAIL = "Acme Support <support@acme.example>"


def test_a_public_reply_is_e_mailed_to_the_customer_with_the_number_in_the_subject(
    ticket, support_agent
):
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Please restart it.")
    sent = OutgoingEmail.objects.get(kind="tickets.reply")
    assert sent.to == ["greta@holm.example"]
    assert sent.subject == f"Re: [{ticket.number}] Spindle gets very hot"
    assert "Please restart it." in sent.body_text
    assert sent.reply_to == ["Acme Support <support@acme.example>"]


def test_a_reply_threads_after_the_acknowledgement(ticket, support_agent):
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    comment = services.ticket_reply(ticket=ticket, actor=support_agent, body="Restart it.")
    sent = OutgoingEmail.objects.get(kind="tickets.reply")
    assert sent.headers["In-Reply-To"] == ack.headers["Message-ID"]
    assert sent.headers["References"] == ack.headers["Message-ID"]
    assert sent.headers["Message-ID"].endswith("@acme.example>")
    remembered = TicketMessageId.objects.get(message_id=sent.headers["Message-ID"].strip("<>"))
    assert (remembered.ticket, remembered.comment) == (ticket, comment)


def test_a_reply_answers_the_customers_latest_message(ticket, support_agent):
    TicketMessageId.objects.create(
        ticket=ticket,
        message_id="cust1@holm.example",
        direction=TicketMessageId.Direction.INBOUND,
    )
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Restart it.")
    sent = OutgoingEmail.objects.get(kind="tickets.reply")
    assert sent.headers["In-Reply-To"] == "<cust1@holm.example>"


def test_an_internal_note_is_not_e_mailed(ticket, support_agent):
    services.ticket_reply(ticket=ticket, actor=support_agent, body="VIP!", public=False)
    assert not OutgoingEmail.objects.filter(kind="tickets.reply").exists()


def test_the_files_of_a_reply_travel_with_the_e_mail(ticket, support_agent):
    upload = SimpleUploadedFile("manual.pdf", b"%PDF-1.4 manual", "application/pdf")
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="See the manual.", uploads=[upload]
    )
    sent = OutgoingEmail.objects.get(kind="tickets.reply")
    assert [(a.filename, bytes(a.content)) for a in sent.attachments.all()] == [
        ("manual.pdf", b"%PDF-1.4 manual")
    ]


def test_a_ticket_without_an_address_sends_nothing(account, support_agent):
    ticket = services.ticket_create(actor=None, data={"subject": "Phone call", "account": account})
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Noted.")
    assert not OutgoingEmail.objects.exists()


def test_a_ticket_created_without_acknowledgement_sends_none(account):
    contact = factories.ContactFactory(account=account, email="x@holm.example")
    services.ticket_create(actor=None, data={"subject": "X", "contact": contact}, acknowledge=False)
    assert not OutgoingEmail.objects.exists()


def test_the_acknowledgement_links_the_ticket_in_the_portal(ticket, settings):
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    assert f"{settings.SFA_BASE_URL}/portal/tickets/{ticket.pk}/" in ack.body_text


def test_a_reply_links_the_ticket_in_the_portal(ticket, support_agent, settings):
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Restart it.")
    sent = OutgoingEmail.objects.get(kind="tickets.reply")
    assert f"{settings.SFA_BASE_URL}/portal/tickets/{ticket.pk}/" in sent.body_text
