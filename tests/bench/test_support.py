"""How long the support desk takes for its busy paths: one inbound e-mail (new ticket with an
attachment, acknowledged), a threaded reply, and the statistics page over 1,000 tickets."""

import datetime
import itertools

import pytest
from anymail.inbound import AnymailInboundMessage
from django.utils import timezone

from tests import factories
from tickets import inbound, services
from tickets.models import Ticket

counter = itertools.count()


def message(sender: str, **headers) -> AnymailInboundMessage:
    n = next(counter)
    return AnymailInboundMessage.construct(
        from_email=sender,
        to="support@sfa.localhost",
        subject=headers.pop("subject", f"Printer {n} jams"),
        headers=[("Message-ID", f"<bench-{n}@customer.example>"), *headers.items()],
        text="Hello,\n\nthe printer jams on every second page.\n\nRegards",
        attachments=[
            AnymailInboundMessage.construct_attachment(
                content_type="text/plain", content="log line\n" * 200, filename="log.txt"
            )
        ],
    )


@pytest.mark.django_db
def test_bench_inbound_email_new_ticket(account, timed, settings):
    settings.SFA_INBOUND_ACKS_PER_HOUR = 10_000
    contact = factories.ContactFactory(account=account, email="greta@holm.example")
    timed(
        "inbound e-mail: new ticket, attachment, acknowledgement",
        lambda: inbound.receive(message(contact.email)),
        repeat=25,
    )


@pytest.mark.django_db
def test_bench_inbound_email_threaded_reply(account, timed):
    contact = factories.ContactFactory(account=account, email="greta@holm.example")
    ticket = services.ticket_create(actor=None, data={"subject": "Jam", "contact": contact})
    ack = ticket.message_ids.get()
    timed(
        "inbound e-mail: reply threaded by In-Reply-To",
        lambda: inbound.receive(message(contact.email, **{"In-Reply-To": f"<{ack.message_id}>"})),
        repeat=25,
    )


@pytest.mark.django_db
def test_bench_support_statistics_page(client_for, administrator, account, support_agent, timed):
    contact = factories.ContactFactory(account=account)
    start = timezone.now() - datetime.timedelta(days=25)
    for n in range(1000):
        opened = start + datetime.timedelta(hours=n % 500)
        ticket = services.ticket_create(
            actor=None,
            data={"subject": f"T{n}", "contact": contact, "assignee": support_agent},
            now=opened,
            acknowledge=False,
        )
        if n % 2:
            services.ticket_reply(
                ticket=ticket,
                actor=support_agent,
                body="On it.",
                now=opened + datetime.timedelta(hours=1),
                notify_customer=False,
            )
            services.ticket_resolve(
                ticket=ticket, actor=support_agent, now=opened + datetime.timedelta(hours=5)
            )
    assert Ticket.objects.count() == 1000
    client = client_for(administrator)
    timed(
        "support statistics page, 1,000 tickets in 30 days",
        lambda: client.get("/tickets/statistics/"),
        repeat=7,
    )
