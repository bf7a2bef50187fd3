import datetime

import pytest

from tests.core.factories import TeamFactory
from tests.tickets.factories import TicketFactory
from tickets.models import BusinessCalendar, Holiday, SlaPolicy, WorkingHours


@pytest.fixture
def team(support_agent):
    """The Support team, with agent1 as its member."""
    team = TeamFactory(name="Support")
    team.members.add(support_agent)
    return team


@pytest.fixture
def calendar(db):
    """Support DE: Monday to Friday 9:00–17:00 Berlin time, Christmas Day off."""
    calendar = BusinessCalendar.objects.create(name="Support DE", time_zone="Europe/Berlin")
    for weekday in range(5):
        WorkingHours.objects.create(
            calendar=calendar, weekday=weekday, start=datetime.time(9), end=datetime.time(17)
        )
    Holiday.objects.create(calendar=calendar, date=datetime.date(2026, 12, 25), name="Christmas")
    return calendar


@pytest.fixture
def high(calendar):
    """The SLA of high-priority tickets: first reply within 4 business hours, resolution
    within 16 (two business days)."""
    return SlaPolicy.objects.create(
        name="High", priority="high", calendar=calendar,
        first_response_minutes=4 * 60, resolution_minutes=16 * 60,
    )  # fmt: skip


@pytest.fixture
def ticket(support_agent, account, contact):
    """Greta Holm's ticket about a hot spindle, opened by agent1 (no team, no SLA)."""
    return TicketFactory(
        actor=support_agent,
        account=account,
        contact=contact,
        subject="Spindle gets very hot",
        description="After an hour the spindle is too hot to touch.",
    )
