"""The SLA job warns once when a target is at risk and escalates once on a breach."""

import datetime

import pytest

from sfa.core.models import OutgoingEmail
from tests import factories
from tickets import services
from tickets.models import BusinessCalendar, SlaPolicy, Ticket, WorkingHours
from tickets.tasks import check_slas_task

TZ = datetime.timezone(datetime.timedelta(hours=1))


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def policy(db, support_agent):
    calendar = BusinessCalendar.objects.create(name="DE", time_zone="Europe/Berlin")
    for weekday in range(5):
        WorkingHours.objects.create(
            calendar=calendar, weekday=weekday, start=datetime.time(9), end=datetime.time(17)
        )
    return SlaPolicy.objects.create(
        name="High", priority="high", calendar=calendar,
        first_response_minutes=240, resolution_minutes=960,
    )  # fmt: skip


@pytest.fixture
def team(support_agent):
    manager = factories.UserFactory(username="supportboss", role="support manager")
    team = factories.TeamFactory(name="Support", manager=manager)
    team.members.set([support_agent])
    return team


@pytest.fixture
def ticket(policy, team, account, support_agent):
    return services.ticket_create(
        actor=None,
        data={
            "account": account,
            "subject": "Lathe stops",
            "priority": "high",
            "team": team,
            "assignee": support_agent,
        },
        now=at("2026-11-23 09:00"),  # first response due 13:00
    )


def kinds() -> list[str]:
    return list(OutgoingEmail.objects.order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_at_risk_warns_the_assignee_once(ticket, support_agent):
    assert services.check_slas(now=at("2026-11-23 12:30")) == {"warned": 1, "escalated": 0}
    assert services.check_slas(now=at("2026-11-23 12:40")) == {"warned": 0, "escalated": 0}
    warning = OutgoingEmail.objects.get(kind="tickets.sla_warning")
    assert warning.to == [support_agent.email]


@pytest.mark.django_db
def test_a_breach_escalates_to_the_team_manager_once(ticket, team):
    services.check_slas(now=at("2026-11-23 13:30"))
    services.check_slas(now=at("2026-11-23 14:30"))
    breach = OutgoingEmail.objects.get(kind="tickets.sla_breach")
    assert team.manager.email in breach.to
    assert ticket.comments.filter(is_public=False, body__startswith="SLA breached").count() == 1


@pytest.mark.django_db
def test_a_breach_raises_priority_and_reassigns_when_the_policy_says_so(ticket, policy):
    lead_agent = factories.UserFactory(username="lead", role="support agent")
    policy.raise_priority_on_breach = True
    policy.reassign_on_breach_to = lead_agent
    policy.save()
    services.check_slas(now=at("2026-11-23 13:30"))
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee) == ("urgent", lead_agent)


@pytest.mark.django_db
def test_an_answered_ticket_is_not_escalated_for_its_first_response(ticket, support_agent):
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="On it", now=at("2026-11-23 10:00")
    )
    assert services.check_slas(now=at("2026-11-23 13:30")) == {"warned": 0, "escalated": 0}


@pytest.mark.django_db
def test_a_pending_ticket_is_not_escalated_for_resolution(ticket, support_agent):
    services.ticket_reply(
        ticket=ticket, actor=support_agent, body="Need logs", now=at("2026-11-23 10:00")
    )
    services.ticket_wait_on_customer(ticket=ticket, actor=support_agent, now=at("2026-11-23 10:05"))
    assert services.check_slas(now=at("2026-11-30 10:00"))["escalated"] == 0
    assert Ticket.objects.get(pk=ticket.pk).resolution_breached_at is None


@pytest.mark.django_db
def test_the_task_runs_the_job(ticket):
    assert set(check_slas_task.apply().get()) == {"warned", "escalated"}
