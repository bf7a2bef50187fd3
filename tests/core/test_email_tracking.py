"""The ESP's tracking webhook updates the outbox: delivered, bounced (with the reason), first
open and click; events out of order never move an e-mail back."""

import base64

import pytest

from sfa.core.mail import email_queue
from sfa.core.models import OutgoingEmail
from tests import factories
from tickets import services

pytestmark = pytest.mark.django_db

URL = "/api/v1/email/postmark/tracking/"
AUTH = "Basic " + base64.b64encode(b"hook:s3cret").decode()


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}


@pytest.fixture
def sent(rep1):
    email = email_queue(
        kind="tests.hello",
        to=["john@customer.example"],
        template="customers/emails/reminder_digest",
        context={"user": rep1, "day": None, "reminders": [], "base_url": "https://x"},
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, esp_message_id="883953f4-6105-42a2-a16a-77a8eac79483"
    )
    email.refresh_from_db()
    return email


def event(record_type, email, **fields):
    """A Postmark webhook event (https://postmarkapp.com/developer/webhooks/webhooks-overview)."""
    return {
        "RecordType": record_type,
        "MessageStream": "outbound",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Recipient": "john@customer.example",
        "Metadata": {"sfa_outbox_id": str(email.pk)},
        **fields,
    }


def post(client, payload):
    return client.post(URL, payload, content_type="application/json", HTTP_AUTHORIZATION=AUTH)


def delivery(email):
    return event("Delivery", email, DeliveredAt="2026-11-23T09:00:00Z", Details="250 OK")


def bounce(email):
    return event(
        "Bounce",
        email,
        ID=42,
        Type="HardBounce",
        TypeCode=1,
        Name="Hard bounce",
        Email="john@customer.example",
        BouncedAt="2026-11-23T09:01:00Z",
        Description="The server was unable to deliver your message (unknown user).",
        Details="smtp;550 5.1.1 unknown user",
        Inactive=True,
    )


def test_a_delivery_event_marks_the_e_mail_delivered(client, sent):
    assert post(client, delivery(sent)).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutgoingEmail.Status.DELIVERED
    assert sent.delivered_at is not None


def test_a_bounce_event_marks_the_e_mail_bounced_with_the_reason(client, sent):
    post(client, bounce(sent))
    sent.refresh_from_db()
    assert sent.status == OutgoingEmail.Status.BOUNCED
    assert "unknown user" in sent.last_error


def test_a_late_delivery_event_does_not_undo_a_bounce(client, sent):
    post(client, bounce(sent))
    post(client, delivery(sent))
    sent.refresh_from_db()
    assert sent.status == OutgoingEmail.Status.BOUNCED


def test_an_open_event_records_the_first_open_and_proves_delivery(client, sent):
    payload = event("Open", sent, FirstOpen=True, ReceivedAt="2026-11-23T10:00:00Z")
    post(client, payload)
    sent.refresh_from_db()
    assert sent.opened_at is not None
    assert sent.status == OutgoingEmail.Status.DELIVERED


def test_an_event_is_found_by_the_esp_message_id_without_metadata(client, sent):
    payload = delivery(sent)
    payload["Metadata"] = {}
    post(client, payload)
    sent.refresh_from_db()
    assert sent.status == OutgoingEmail.Status.DELIVERED


def test_an_event_about_an_unknown_e_mail_is_accepted_and_ignored(client, sent):
    payload = delivery(sent)
    payload["Metadata"], payload["MessageID"] = {}, "someone-elses"
    assert post(client, payload).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutgoingEmail.Status.SENT


def test_a_bounced_ticket_e_mail_is_noted_on_the_ticket(client, account):
    contact = factories.ContactFactory(account=account, email="john@customer.example")
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    post(client, bounce(ack))
    note = ticket.comments.get(is_public=False)
    assert "bounced" in note.body
    assert "unknown user" in note.body
