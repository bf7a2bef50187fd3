"""The SLA job warns once when a target is at risk and escalates once on a breach."""

import datetime

import pytest

from sfa.core.models import OutgoingEmail
from tests.core import factories
from tests.tickets.factories import TicketFactory
from tickets import services
from tickets.models import Ticket
from tickets.tasks import check_slas_task

TZ = datetime.timezone(datetime.timedelta(hours=1))


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def ticket_under_sla(high, team, account, support_agent):
    """A high-priority ticket of the Support team (managed by supportboss) assigned to agent1,
    opened on Monday 23 November 2026 at 09:00: first response due 13:00."""
    team.manager = factories.UserFactory(username="supportboss", role="support manager")
    team.save()
    return TicketFactory(
        account=account,
        subject="Lathe stops",
        priority="high",
        team=team,
        assignee=support_agent,
        now=at("2026-11-23 09:00"),
    )


def kinds() -> list[str]:
    return list(OutgoingEmail.objects.order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_at_risk_warns_the_assignee_once(ticket_under_sla, support_agent):
    assert services.check_slas(now=at("2026-11-23 12:30")) == {"warned": 1, "escalated": 0}
    assert services.check_slas(now=at("2026-11-23 12:40")) == {"warned": 0, "escalated": 0}
    warning = OutgoingEmail.objects.get(kind="tickets.sla_warning")
    assert warning.to == [support_agent.email]


@pytest.mark.django_db
def test_a_breach_escalates_to_the_team_manager_once(ticket_under_sla, team):
    services.check_slas(now=at("2026-11-23 13:30"))
    services.check_slas(now=at("2026-11-23 14:30"))
    breach = OutgoingEmail.objects.get(kind="tickets.sla_breach")
    assert team.manager.email in breach.to
    assert (
        ticket_under_sla.comments.filter(is_public=False, body__startswith="SLA breached").count()
        == 1
    )


@pytest.mark.django_db
def test_a_breach_raises_priority_and_reassigns_when_the_policy_says_so(ticket_under_sla, high):
    lead_agent = factories.UserFactory(username="lead", role="support agent")
    high.raise_priority_on_breach = True
    high.reassign_on_breach_to = lead_agent
    high.save()
    services.check_slas(now=at("2026-11-23 13:30"))
    ticket_under_sla.refresh_from_db()
    assert (ticket_under_sla.priority, ticket_under_sla.assignee) == ("urgent", lead_agent)


@pytest.mark.django_db
def test_an_answered_ticket_is_not_escalated_for_its_first_response(
    ticket_under_sla, support_agent
):
    services.ticket_reply(
        ticket=ticket_under_sla, actor=support_agent, body="On it", now=at("2026-11-23 10:00")
    )
    assert services.check_slas(now=at("2026-11-23 13:30")) == {"warned": 0, "escalated": 0}


@pytest.mark.django_db
def test_a_pending_ticket_is_not_escalated_for_resolution(ticket_under_sla, support_agent):
    services.ticket_reply(
        ticket=ticket_under_sla, actor=support_agent, body="Need logs", now=at("2026-11-23 10:00")
    )
    services.ticket_wait_on_customer(
        ticket=ticket_under_sla, actor=support_agent, now=at("2026-11-23 10:05")
    )
    assert services.check_slas(now=at("2026-11-30 10:00"))["escalated"] == 0
    assert Ticket.objects.get(pk=ticket_under_sla.pk).resolution_breached_at is None


@pytest.mark.django_db
def test_the_task_runs_the_job(ticket_under_sla):
    assert set(check_slas_task.apply().get()) == {"warned", "escalated"}
