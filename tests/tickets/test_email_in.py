"""Inbound e-mail: messages posted to the webhook in Postmark's inbound format become tickets
or land on theirs; redeliveries, robots and our own mail coming back change nothing."""

import base64
import datetime

import pytest
from django.utils import timezone

from sfa.core.models import OutgoingEmail
from sfa.customers.models import Contact
from tests import factories
from tickets import inbound, mime, services
from tickets.models import InboundEmail, Ticket, TicketAttachment, TicketComment

pytestmark = pytest.mark.django_db

URL = "/api/v1/email/postmark/inbound/"
AUTH = "Basic " + base64.b64encode(b"hook:s3cret").decode()


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}
    settings.SFA_SUPPORT_EMAIL = "Acme Support <support@acme.example>"


def postmark(
    *,
    sender="greta@holm.example",
    name="Greta Holm",
    subject="Printer jams on page 2",
    text="Hello, the printer jams on every second page.",
    message_id="<CAF1234@mail.holm.example>",
    headers=(),
    attachments=(),
):
    """An inbound message as Postmark posts it (https://postmarkapp.com/developer/webhooks/inbound-webhook)."""
    all_headers = [{"Name": "Return-Path", "Value": f"<{sender}>"}]
    if message_id:
        all_headers.append({"Name": "Message-ID", "Value": message_id})
    all_headers += [{"Name": n, "Value": v} for n, v in headers]
    return {
        "FromName": name,
        "MessageStream": "inbound",
        "From": sender,
        "FromFull": {"Email": sender, "Name": name, "MailboxHash": ""},
        "To": "support@acme.example",
        "ToFull": [{"Email": "support@acme.example", "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "OriginalRecipient": "support@acme.example",
        "Subject": subject,
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "Date": "Mon, 23 Nov 2026 09:12:00 +0100",
        "TextBody": text,
        "HtmlBody": "",
        "StrippedTextReply": "",
        "Headers": all_headers,
        "Attachments": [
            {
                "Name": filename,
                "Content": base64.b64encode(content).decode(),
                "ContentType": content_type,
                "ContentLength": len(content),
            }
            for filename, content, content_type in attachments
        ],
    }


def post(client, payload, auth=AUTH):
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    return client.post(URL, payload, content_type="application/json", **headers)


def test_a_new_message_from_a_contact_opens_a_ticket_for_them(client, contact):
    response = post(client, postmark())
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel) == ("Printer jams on page 2", Ticket.Channel.EMAIL)
    assert (ticket.contact, ticket.account) == (contact, contact.account)
    assert ticket.description == "Hello, the printer jams on every second page."
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.CREATED


def test_a_new_ticket_by_e_mail_is_acknowledged_in_its_thread(client, contact):
    post(client, postmark())
    ticket = Ticket.objects.get()
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    assert ack.to == ["greta@holm.example"]
    assert ticket.number in ack.subject
    assert ack.headers["In-Reply-To"] == "<CAF1234@mail.holm.example>"
    assert ack.headers["Auto-Submitted"] == "auto-replied"
    assert ack.from_email == "Acme Support <support@acme.example>"


def test_the_attachments_of_a_message_are_kept(client, contact):
    post(client, postmark(attachments=[("error.txt", b"paper jam at tray 2", "text/plain")]))
    attachment = TicketAttachment.objects.get()
    assert attachment.filename == "error.txt"
    assert attachment.from_customer
    with attachment.file.open("rb") as handle:
        assert handle.read() == b"paper jam at tray 2"


def test_posting_the_same_message_twice_creates_nothing_new(client, contact):
    assert post(client, postmark()).status_code == 200
    assert post(client, postmark()).status_code == 200
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind="tickets.acknowledgement").count() == 1


def test_the_reply_to_the_acknowledgement_lands_on_the_same_ticket(client, contact):
    post(client, postmark())
    ticket = Ticket.objects.get()
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    reply = postmark(
        subject=f"Re: {ack.subject}",
        text="It also happens on tray 1.\n\nOn Mon, 23 Nov 2026 Acme Support wrote:\n> Hello",
        message_id="<CAF5678@mail.holm.example>",
        headers=[("In-Reply-To", ack.headers["Message-ID"])],
    )
    assert post(client, reply).status_code == 200
    assert Ticket.objects.count() == 1
    comment = ticket.comments.get(from_customer=True)
    assert comment.body == "It also happens on tray 1."
    assert comment.via == TicketComment.Via.EMAIL
    assert InboundEmail.objects.get(message_id="CAF5678@mail.holm.example").ticket == ticket


def test_a_reply_without_headers_finds_its_ticket_by_the_number_in_the_subject(client, contact):
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    payload = postmark(subject=f"Re: [{ticket.number}] Jam", text="Still jamming.")
    post(client, payload)
    assert Ticket.objects.count() == 1
    assert ticket.comments.get(from_customer=True).body == "Still jamming."


def test_a_stranger_cannot_write_into_a_ticket_by_its_number(client, contact, settings):
    settings.SFA_INBOUND_UNKNOWN_SENDERS = "accept"
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    payload = postmark(sender="mallory@evil.example", subject=f"Re: [{ticket.number}] Jam")
    post(client, payload)
    assert not ticket.comments.exists()
    assert Ticket.objects.exclude(pk=ticket.pk).get().requester_email == "mallory@evil.example"


def test_a_reply_to_a_pending_ticket_opens_it_again(client, contact, support_agent):
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    services.ticket_wait_on_customer(ticket=ticket, actor=support_agent)
    post(client, postmark(subject=f"Re: [{ticket.number}] Jam", text="Here is the log."))
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.OPEN


def test_a_reply_to_a_ticket_closed_long_ago_opens_a_linked_follow_up(
    client, contact, support_agent, settings
):
    settings.SFA_TICKET_REOPEN_DAYS = 14
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    long_ago = timezone.now() - datetime.timedelta(days=30)
    services.ticket_resolve(ticket=ticket, actor=support_agent, now=long_ago)
    services.ticket_close(ticket=ticket, actor=support_agent)
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=long_ago)
    post(client, postmark(subject=f"Re: [{ticket.number}] Jam", text="It is back."))
    ticket.refresh_from_db()
    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert ticket.state == Ticket.State.CLOSED
    assert (follow_up.subject, follow_up.description) == ("Jam", "It is back.")
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.FOLLOW_UP


def test_a_reply_to_a_recently_closed_ticket_reopens_it(client, contact, support_agent):
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    services.ticket_close(ticket=ticket, actor=support_agent)
    post(client, postmark(subject=f"Re: [{ticket.number}] Jam", text="It is back."))
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.OPEN
    assert Ticket.objects.count() == 1


def test_a_reply_to_a_merged_duplicate_lands_on_the_ticket_it_was_merged_into(client, contact):
    kept = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    duplicate = services.ticket_create(actor=None, data={"subject": "Jam!", "contact": contact})
    Ticket.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    post(client, postmark(subject=f"Re: [{duplicate.number}] Jam!", text="Any news?"))
    assert kept.comments.get(from_customer=True).body == "Any news?"


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ([("Auto-Submitted", "auto-replied")], "Re: Printer"),
        ([("X-Autoreply", "yes")], "Re: Printer"),
        ([("Precedence", "bulk")], "Newsletter"),
        ([], "Out of Office: back on Monday"),
        ([], "Automatic reply: Printer jams"),
    ],
)
def test_automatic_replies_open_no_ticket_and_get_no_answer(client, contact, headers, subject):
    post(client, postmark(headers=headers, subject=subject))
    assert not Ticket.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.AUTO_REPLY


def test_a_bounce_of_a_ticket_e_mail_opens_no_ticket_and_is_noted_on_the_ticket(client, contact):
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    bounce = postmark(
        sender="MAILER-DAEMON@mail.holm.example",
        name="Mail Delivery System",
        subject="Undelivered Mail Returned to Sender",
        text=f"550 5.1.1 user unknown\n\nMessage-ID: {ack.headers['Message-ID']}",
        message_id="<bounce1@mail.holm.example>",
    )
    post(client, bounce)
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.BOUNCE
    assert "bounced" in ticket.comments.get(is_public=False).body
    ack.refresh_from_db()
    assert ack.status == OutgoingEmail.Status.BOUNCED


def test_our_own_mail_coming_back_is_ignored(client, contact):
    post(client, postmark(sender="support@acme.example", subject="[T-2026-00001] Jam"))
    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.LOOP


def test_an_unknown_sender_of_a_customer_domain_becomes_a_contact(client, account, settings):
    settings.SFA_INBOUND_UNKNOWN_SENDERS = "domain"
    factories.ContactFactory(account=account, email="boss@holm.example")
    post(client, postmark(sender="new.person@holm.example", name="Nina Neu"))
    contact = Contact.objects.get(email="new.person@holm.example")
    assert (contact.account, contact.first_name, contact.last_name) == (account, "Nina", "Neu")
    assert Ticket.objects.get().contact == contact


def test_an_unknown_sender_of_a_free_mail_domain_gets_a_ticket_without_contact(
    client, account, settings
):
    settings.SFA_INBOUND_UNKNOWN_SENDERS = "domain"
    factories.ContactFactory(account=account, email="someone@gmail.com")
    post(client, postmark(sender="stranger@gmail.com"))
    ticket = Ticket.objects.get()
    assert (ticket.contact, ticket.requester_email) == (None, "stranger@gmail.com")
    assert not Contact.objects.filter(email="stranger@gmail.com").exists()


def test_unknown_senders_are_refused_when_the_policy_says_reject(client, db, settings):
    settings.SFA_INBOUND_UNKNOWN_SENDERS = "reject"
    post(client, postmark(sender="stranger@nowhere.example"))
    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.UNKNOWN_SENDER


def test_a_program_attached_is_not_kept_but_the_message_is(client, contact):
    payload = postmark(attachments=[("setup.exe", b"MZ\x90\x00binary", "application/x-msdos")])
    post(client, payload)
    ticket = Ticket.objects.get()
    assert not ticket.attachments.exists()
    assert "setup.exe" in ticket.comments.get(is_public=False).body


def test_the_webhook_refuses_a_post_without_its_basic_auth(client, contact):
    assert post(client, postmark(), auth=None).status_code == 400
    assert not Ticket.objects.exists()


def test_the_webhook_is_off_without_a_secret(client, contact, settings):
    settings.ANYMAIL = {}
    assert post(client, postmark()).status_code == 404
    assert not Ticket.objects.exists()


def test_the_webhook_refuses_a_body_not_in_the_providers_format(client, contact):
    response = client.post(
        URL, "not json", content_type="application/json", HTTP_AUTHORIZATION=AUTH
    )
    assert response.status_code == 400


def test_quoted_history_is_cut_from_a_reply():
    text = (
        "Thanks, that worked.\n\nBest, Greta\n\n"
        "-----Original Message-----\nFrom: Acme Support\nSent: Monday\n\nOld text"
    )
    assert mime.strip_quoted(text) == "Thanks, that worked.\n\nBest, Greta"


def test_the_reply_marker_cuts_everything_below_it():
    text = f"Yes please.\n\n{mime.REPLY_MARKER}\n\nHello Greta, ..."
    assert mime.strip_quoted(text) == "Yes please."


def test_reply_prefixes_and_numbers_are_removed_from_a_new_subject():
    assert mime.clean_subject("AW: Re: [T-2026-00012] Printer jam") == "Printer jam"


def test_a_standard_delivery_status_report_is_recognised_as_a_bounce(contact):
    from anymail.inbound import AnymailInboundMessage

    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    ack = OutgoingEmail.objects.get(kind="tickets.acknowledgement")
    raw = (
        "From: Mail Delivery Subsystem <postmaster@relay.example>\r\n"
        "To: support@acme.example\r\n"
        "Subject: Delivery Status Notification (Failure)\r\n"
        "Message-ID: <dsn-1@relay.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nDelivery to greta@holm.example failed.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Final-Recipient: rfc822; greta@holm.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {ack.headers['Message-ID']}\r\nSubject: {ack.subject}\r\n"
        "--b1--\r\n"
    )
    record = inbound.receive(AnymailInboundMessage.parse_raw_mime(raw), esp="test")
    assert (record.outcome, record.ticket) == (InboundEmail.Outcome.BOUNCE, ticket)
    assert Ticket.objects.count() == 1


def test_a_reply_to_an_agents_answer_threads_by_its_headers_alone(client, contact, support_agent):
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    services.ticket_reply(ticket=ticket, actor=support_agent, body="Please restart it.")
    answer = OutgoingEmail.objects.get(kind="tickets.reply")
    reply = postmark(
        subject="Re: your answer",  # the number dropped by the customer's mail program
        text="Restarted, works now.",
        message_id="<CAF9999@mail.holm.example>",
        headers=[("In-Reply-To", answer.headers["Message-ID"]), ("References", "<x@y>")],
    )
    post(client, reply)
    assert Ticket.objects.count() == 1
    assert ticket.comments.get(from_customer=True).body == "Restarted, works now."


def test_the_receive_email_command_reads_a_raw_message(tmp_path, contact):
    from django.core.management import call_command

    eml = tmp_path / "message.eml"
    eml.write_bytes(
        b"From: Greta Holm <greta@holm.example>\r\nTo: support@acme.example\r\n"
        b"Subject: Scanner offline\r\nMessage-ID: <eml-1@holm.example>\r\n\r\nIt is offline.\r\n"
    )
    call_command("receive_email", str(eml))
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.contact) == ("Scanner offline", contact)


def test_a_message_the_desk_cannot_take_is_logged_and_changes_nothing(client, contact, monkeypatch):
    from sfa.core.exceptions import InvalidInput

    def refuse(**kwargs):
        raise InvalidInput(fields={"subject": ["Refused for the test."]})

    monkeypatch.setattr(services, "ticket_create", refuse)
    response = post(client, postmark())
    assert response.status_code == 200
    record = InboundEmail.objects.get()
    assert record.outcome == InboundEmail.Outcome.INVALID
    assert record.note.startswith("Not handled")
    assert not Ticket.objects.exists()
