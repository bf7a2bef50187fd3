"""The desk's own notes (``tickets.services.ticket_system_note``) and dated transitions."""

import datetime

import pytest
from django.utils import timezone

from sfa.core.fsm import transition_history
from tests.workflows import make_record
from tickets import services
from tickets.models import Ticket, TicketComment

pytestmark = pytest.mark.django_db
EARLIER = timezone.now() - datetime.timedelta(hours=5)


@pytest.fixture
def ticket(support_agent, account):
    return make_record(Ticket, owner=support_agent, account=account, state="open")


def test_a_system_note_is_internal_and_dated(ticket):
    note = services.ticket_system_note(ticket, "Routed to team North.", EARLIER)
    assert (note.is_public, note.via, note.author, note.created_at) == (
        False,
        TicketComment.Via.SYSTEM,
        None,
        EARLIER,
    )


def test_a_system_note_without_a_moment_is_dated_now(ticket):
    before = timezone.now()
    assert services.ticket_system_note(ticket, "Bounced.").created_at >= before


def test_a_customer_reply_by_email_reopens_at_the_time_it_was_written(ticket, support_agent):
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    services.customer_reply(ticket=ticket, body="Still broken.", now=EARLIER)
    reopened = Ticket.objects.get(pk=ticket.pk)
    assert (reopened.state, reopened.state_changed_at) == ("open", EARLIER)
    assert transition_history(reopened).filter(transition="reopen").get().created_at == EARLIER


def test_a_customer_closes_their_resolved_ticket(ticket, support_agent, portal_customer):
    services.ticket_resolve(ticket=ticket, actor=support_agent)
    closed = services.ticket_close(ticket=ticket, actor=portal_customer, note="by the customer")
    assert closed.state == "closed"
    assert transition_history(closed).filter(transition="close").get().actor == portal_customer
