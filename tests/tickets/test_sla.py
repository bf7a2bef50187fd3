"""SLA due times on a fixed calendar (weekend, holiday, pause while pending) match a hand
computation; the first public reply meets the first-response target."""

import datetime

import pytest

from sfa.core.exceptions import ActionForbidden, TransitionRefused
from tests import factories
from tickets import services
from tickets.models import SlaPolicy, Ticket
from tickets.selectors import my_queue


def at(text: str) -> datetime.datetime:
    tz = datetime.timezone(datetime.timedelta(hours=1))  # Berlin in winter
    return datetime.datetime.fromisoformat(text).replace(tzinfo=tz)


def new_ticket(account, when, priority="high"):
    return services.ticket_create(
        actor=None,
        data={"account": account, "subject": "Lathe stops", "priority": priority},
        now=when,
    )


@pytest.mark.django_db
def test_due_times_skip_the_weekend(high, account):
    # Friday 27 Nov 15:00: 2 h left that day; +4 h → Monday 11:00; +16 h → Tuesday 15:00
    ticket = new_ticket(account, at("2026-11-27 15:00"))
    assert ticket.number.startswith("T-2026-")
    assert ticket.sla_policy == high
    assert ticket.first_response_due == at("2026-11-30 11:00")
    assert ticket.resolution_due == at("2026-12-01 15:00")


@pytest.mark.django_db
def test_due_times_skip_a_holiday(high, account):
    # Thursday 24 Dec 13:00: 4 h that day; Friday 25th holiday; 16 h → Tue 29 Dec 13:00
    ticket = new_ticket(account, at("2026-12-24 13:00"))
    assert ticket.first_response_due == at("2026-12-24 17:00")
    assert ticket.resolution_due == at("2026-12-29 13:00")


@pytest.mark.django_db
def test_time_pending_on_the_customer_moves_the_resolution_due_time(high, account):
    ticket = new_ticket(account, at("2026-11-23 09:00"))  # Monday; due Tuesday 17:00
    assert ticket.resolution_due == at("2026-11-24 17:00")
    services.ticket_wait_on_customer(ticket=ticket, actor=None, now=at("2026-11-23 12:00"))
    # the customer answers Tuesday 10:00: paused Mon 12–17 (5 h) + Tue 9–10 (1 h) = 6 h
    services.customer_reply(ticket=ticket, body="Here is the log.", now=at("2026-11-24 10:00"))
    ticket.refresh_from_db()
    assert ticket.state == "open"
    assert ticket.paused_minutes == 6 * 60
    assert ticket.resolution_due == at("2026-11-25 15:00")  # Tuesday 17:00 + 6 h


@pytest.mark.django_db
def test_the_first_public_reply_meets_the_first_response_target(high, account, support_agent):
    ticket = new_ticket(account, at("2026-11-23 09:00"))
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Internal: check logs", public=False,
        now=at("2026-11-23 10:00"),
    )  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None  # an internal note is no response
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="We are on it.", now=at("2026-11-23 12:00")
    )
    ticket.refresh_from_db()
    assert ticket.state == "open"
    status = services.sla_status(ticket, now=at("2026-11-23 12:30"))
    assert status["first_response"] == "met"
    assert status["resolution"] == "on_track"


@pytest.mark.django_db
def test_a_late_first_reply_is_breached(high, account, support_agent):
    ticket = new_ticket(account, at("2026-11-23 09:00"))  # first response due 13:00
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Sorry.", now=at("2026-11-23 14:00")
    )
    ticket.refresh_from_db()
    assert services.sla_status(ticket, now=at("2026-11-23 14:00"))["first_response"] == "breached"


@pytest.mark.django_db
def test_little_time_left_is_at_risk_and_past_due_is_breached(high, account):
    ticket = new_ticket(account, at("2026-11-23 09:00"))  # first response due 13:00
    assert services.sla_status(ticket, now=at("2026-11-23 12:30"))["first_response"] == "at_risk"
    assert services.sla_status(ticket, now=at("2026-11-23 13:30"))["first_response"] == "breached"


@pytest.mark.django_db
def test_a_customer_groups_policy_beats_the_general_one(high, calendar):
    vip = factories.CustomerGroupFactory()
    faster = SlaPolicy.objects.create(
        name="VIP high", priority="high", customer_group=vip, calendar=calendar,
        first_response_minutes=60, resolution_minutes=480,
    )  # fmt: skip
    ticket = new_ticket(factories.AccountFactory(group=vip), at("2026-11-23 09:00"))
    assert ticket.sla_policy == faster
    assert ticket.first_response_due == at("2026-11-23 10:00")


@pytest.mark.django_db
def test_a_priority_without_policy_has_no_due_times(high, account):
    ticket = new_ticket(account, at("2026-11-23 09:00"), priority="low")
    assert (ticket.sla_policy, ticket.resolution_due) == (None, None)
    assert services.sla_status(ticket)["resolution"] == "none"


@pytest.mark.django_db
def test_closing_an_open_ticket_is_refused_and_changes_nothing(high, account):
    ticket = new_ticket(account, at("2026-11-23 09:00"))
    with pytest.raises(TransitionRefused):
        services.ticket_close(ticket=ticket, actor=None)
    assert Ticket.objects.get(pk=ticket.pk).state == "new"


@pytest.mark.django_db
def test_resolving_records_the_given_moment(high, account):
    ticket = new_ticket(account, at("2026-11-23 09:00"))
    resolved = services.ticket_resolve(ticket=ticket, actor=None, now=at("2026-11-23 15:00"))
    assert resolved.resolved_at == at("2026-11-23 15:00")
    assert services.sla_status(resolved, now=at("2026-11-25 15:00"))["resolution"] == "met"


@pytest.mark.django_db
def test_a_customer_reply_to_a_closed_ticket_reopens_it(high, account):
    ticket = new_ticket(account, at("2026-11-23 09:00"))
    services.ticket_resolve(ticket=ticket, actor=None)
    services.ticket_close(ticket=ticket, actor=None)
    services.customer_reply(ticket=ticket, body="Still broken.")
    assert Ticket.objects.get(pk=ticket.pk).state == "open"


@pytest.mark.django_db
def test_an_agent_without_the_permission_cannot_give_a_ticket_away(high, account, support_agent):
    other = factories.UserFactory(username="agent9", role="support agent")
    ticket = new_ticket(account, at("2026-11-23 09:00"))
    with pytest.raises(ActionForbidden):
        services.ticket_update(ticket=ticket, actor=support_agent, data={"assignee": other})
    taken = services.ticket_update(
        ticket=ticket, actor=support_agent, data={"assignee": support_agent}
    )
    assert taken.assignee == support_agent


@pytest.mark.django_db
def test_a_ticket_routed_nowhere_is_in_every_agents_queue(high, account, support_agent):
    ticket = new_ticket(account, at("2026-11-23 09:00"))
    assert list(my_queue(support_agent)) == [ticket]
