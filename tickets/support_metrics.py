"""What the support statistics measure, ticket by ticket: business minutes to the first
response and to the resolution, the outcome of each SLA target, and the database conditions
that count the same things for a period (``tickets.statistics`` groups them).

What counts where (the period is whole local days, ``start`` to ``end`` inclusive):

- *created*: tickets created in the period; *resolved*: tickets whose (latest) resolution is
  in it — a reopened ticket counts again when it is resolved again;
- *first response time*: tickets first answered in the period, creation → first public reply;
  *resolution time*: tickets resolved in the period, creation → resolution minus the time
  pending on the customer; both in business minutes on the ticket's SLA calendar (tickets
  without a policy: the default calendar, or wall-clock time when there is no calendar);
- *SLA attainment*: each target of a ticket with a policy is decided once — met when it was
  done in time (the first response, or the resolution of a ticket resolved without a reply),
  breached at the moment it fell due undone or when it was done late — and counts in the
  period of that moment; a ticket pending on the customer is not breached on resolution.

Merged duplicates are left out everywhere; every read starts from ``ticket_visible_to``.
"""

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sfa.core.access import Role, has_role
from tickets.business_hours import BusinessClock, Schedule
from tickets.models import BusinessCalendar, Ticket
from tickets.selectors import ticket_visible_to

DEFAULT_DAYS = 30
MAX_DAYS = 366
OPEN = Ticket.OPEN_STATES
# the outcome of one SLA target of one ticket
MET, BREACHED, RUNNING, PAUSED, NO_TARGET = "met", "breached", "running", "paused", ""


def can_view_statistics(user) -> bool:
    """Support managers and administrators; agents work the queue, they get a 403."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or has_role(user, Role.SUPPORT_MANAGER, Role.ADMINISTRATOR)


# Filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    team: object | None = None  # sfa.core.models.Team
    agent: object | None = None  # the assignee

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as [from, to) aware datetimes in the current time zone."""
        tz = timezone.get_current_timezone()
        end = self.end + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(self.start, datetime.time(), tzinfo=tz),
            datetime.datetime.combine(end, datetime.time(), tzinfo=tz),
        )

    def previous(self) -> "Filters":
        """The period of the same length just before this one."""
        span = datetime.timedelta(days=self.days)
        return Filters(self.start - span, self.end - span, self.team, self.agent)


def default_filters(today: datetime.date | None = None) -> Filters:
    """The last 30 days, today included."""
    today = today or timezone.localdate()
    return Filters(start=today - datetime.timedelta(days=DEFAULT_DAYS - 1), end=today)


# Times -------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float | None:
    """Linear interpolation between the closest ranks (as Excel's PERCENTILE.INC and
    PostgreSQL's ``percentile_cont``): of 10, 20, 30, 40 the median is 25, the 90th 37."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def format_minutes(minutes: float | None) -> str:
    """``200`` → "3 h 20 min", ``45`` → "45 min", ``120`` → "2 h", None → "—"."""
    if minutes is None:
        return "—"
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@dataclass(frozen=True)
class Clock:
    """Measures business minutes: a ticket's SLA calendar, else the default calendar (the
    oldest one), else wall-clock time. Every calendar is read once (three queries)."""

    clocks: dict[int, BusinessClock]
    default: BusinessClock | None
    default_name: str

    @classmethod
    def load(cls) -> "Clock":
        calendars = list(
            BusinessCalendar.objects.order_by("pk").prefetch_related("working_hours", "holidays")
        )
        clocks = {calendar.pk: BusinessClock(_schedule(calendar)) for calendar in calendars}
        if not calendars:
            return cls({}, None, "")
        return cls(clocks, clocks[calendars[0].pk], calendars[0].name)

    @property
    def basis(self) -> str:
        if self.default is None:
            return "wall-clock hours (no business calendar is defined)"
        return f"business hours of the calendar “{self.default_name}”"

    def minutes(
        self, calendar_id: int | None, start: datetime.datetime, end: datetime.datetime
    ) -> float:
        clock = self.clocks.get(calendar_id) if calendar_id else None
        clock = clock or self.default
        if clock is None:
            return max((end - start).total_seconds() / 60, 0.0)
        return clock.minutes_between(start, end)


def _schedule(calendar: BusinessCalendar) -> Schedule:
    """``BusinessCalendar.schedule()`` from prefetched rows."""
    hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for row in calendar.working_hours.all():
        hours.setdefault(row.weekday, []).append((row.start, row.end))
    return Schedule(
        time_zone=calendar.time_zone,
        hours={day: tuple(spans) for day, spans in hours.items()},
        holidays=frozenset(holiday.date for holiday in calendar.holidays.all()),
    )


def first_response_minutes(clock: Clock, ticket: dict) -> float | None:
    if ticket["first_responded_at"] is None:
        return None
    return clock.minutes(
        ticket["sla_policy__calendar_id"], ticket["created_at"], ticket["first_responded_at"]
    )


def resolution_minutes(clock: Clock, ticket: dict) -> float | None:
    """Creation to resolution, less the business minutes pending on the customer."""
    if ticket["resolved_at"] is None:
        return None
    total = clock.minutes(
        ticket["sla_policy__calendar_id"], ticket["created_at"], ticket["resolved_at"]
    )
    return max(total - (ticket["paused_minutes"] or 0), 0.0)


def first_response_outcome(ticket: dict, now: datetime.datetime) -> str:
    due = ticket["first_response_due"]
    if due is None:
        return NO_TARGET
    done = ticket["first_responded_at"] or ticket["resolved_at"]
    if done is not None:
        return MET if done <= due else BREACHED
    return BREACHED if now > due else RUNNING


def resolution_outcome(ticket: dict, now: datetime.datetime) -> str:
    due = ticket["resolution_due"]
    if due is None:
        return NO_TARGET
    if ticket["resolved_at"] is not None:
        return MET if ticket["resolved_at"] <= due else BREACHED
    if ticket["state"] == Ticket.State.PENDING:
        return PAUSED
    return BREACHED if now > due else RUNNING


# Conditions (the database side of the definitions above) ----------------------------------------


@dataclass(frozen=True)
class Conditions:
    start: datetime.datetime
    end: datetime.datetime  # exclusive
    created: Q
    responded: Q
    resolved: Q
    open: Q
    first_response_met: Q
    first_response_breached: Q
    resolution_met: Q
    resolution_breached: Q

    @classmethod
    def of(cls, filters: Filters, now: datetime.datetime) -> "Conditions":
        lo, hi = filters.bounds()
        decided_by = min(hi, now)  # a target falls due unmet only once its time has passed
        responded = Q(first_responded_at__gte=lo, first_responded_at__lt=hi)
        resolved = Q(resolved_at__gte=lo, resolved_at__lt=hi)
        unanswered = Q(first_responded_at__isnull=True)
        return cls(
            start=lo,
            end=hi,
            created=Q(created_at__gte=lo, created_at__lt=hi),
            responded=responded,
            resolved=resolved,
            open=Q(state__in=OPEN),
            first_response_met=Q(first_response_due__isnull=False)
            & (
                (responded & Q(first_responded_at__lte=F("first_response_due")))
                | (unanswered & resolved & Q(resolved_at__lte=F("first_response_due")))
            ),
            first_response_breached=Q(first_response_due__gte=lo, first_response_due__lt=decided_by)
            & (
                Q(first_responded_at__gt=F("first_response_due"))
                | (unanswered & Q(resolved_at__isnull=True))
                | (unanswered & Q(resolved_at__gt=F("first_response_due")))
            ),
            resolution_met=Q(resolution_due__isnull=False)
            & resolved
            & Q(resolved_at__lte=F("resolution_due")),
            resolution_breached=Q(resolution_due__gte=lo, resolution_due__lt=decided_by)
            & (
                Q(resolved_at__gt=F("resolution_due"))
                | (Q(resolved_at__isnull=True) & ~Q(state=Ticket.State.PENDING))
            ),
        )

    def includes(self, moment: datetime.datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    @property
    def in_period(self) -> Q:
        """Tickets something happened to in the period: the rows of the CSV export."""
        return (
            self.created
            | self.responded
            | self.resolved
            | self.first_response_breached
            | self.resolution_breached
        )

    def counts(self) -> dict:
        return {
            "open_count": Count("pk", filter=self.open),
            "created_count": Count("pk", filter=self.created),
            "resolved_count": Count("pk", filter=self.resolved),
            "fr_met": Count("pk", filter=self.first_response_met),
            "fr_breached": Count("pk", filter=self.first_response_breached),
            "res_met": Count("pk", filter=self.resolution_met),
            "res_breached": Count("pk", filter=self.resolution_breached),
        }


def scoped_tickets(user, filters: Filters) -> QuerySet[Ticket]:
    """The tickets the user sees, of the team and agent chosen, without merged duplicates."""
    tickets = ticket_visible_to(user)
    if tickets.query.distinct:  # a scoped (joined) queryset: group over plain rows
        tickets = Ticket.objects.filter(pk__in=tickets.values("pk"))
    tickets = tickets.filter(merged_into__isnull=True)
    if filters.team is not None:
        tickets = tickets.filter(team=filters.team)
    if filters.agent is not None:
        tickets = tickets.filter(assignee=filters.agent)
    return tickets.order_by()


def assignee_name(row: dict) -> str:
    full = f"{row['assignee__first_name'] or ''} {row['assignee__last_name'] or ''}".strip()
    return full or row["assignee__username"]


# One row per ticket (the CSV export) ------------------------------------------------------------

ROW_FIELDS = (
    "pk", "number", "subject", "state", "priority", "category__name", "team__name",
    "assignee__first_name", "assignee__last_name", "assignee__username", "created_at",
    "first_responded_at", "resolved_at", "first_response_due", "resolution_due",
    "paused_minutes", "sla_policy__name", "sla_policy__calendar_id", "rating__score",
)  # fmt: skip


@dataclass(frozen=True)
class TicketFigures:
    ticket: dict  # the values of ``ROW_FIELDS``
    agent: str
    first_response_minutes: float | None
    resolution_minutes: float | None
    first_response_sla: str  # met, breached, running, paused or "" (no target)
    resolution_sla: str


def ticket_figures(
    *, user, filters: Filters, now: datetime.datetime | None = None
) -> Iterator[TicketFigures]:
    """Every ticket something happened to in the period (created, first answered, resolved,
    or an SLA target fell due unmet), oldest first, with its times and SLA outcomes. A
    generator over a database cursor: large periods stream."""
    now = now or timezone.now()
    clock = Clock.load()
    when = Conditions.of(filters, now)
    rows = (
        scoped_tickets(user, filters)
        .filter(when.in_period)
        .order_by("created_at", "pk")
        .values(*ROW_FIELDS)
    )
    for ticket in rows.iterator(chunk_size=2000):
        yield TicketFigures(
            ticket=ticket,
            agent=assignee_name(ticket) if ticket["assignee__username"] else "",
            first_response_minutes=first_response_minutes(clock, ticket),
            resolution_minutes=resolution_minutes(clock, ticket),
            first_response_sla=first_response_outcome(ticket, now),
            resolution_sla=resolution_outcome(ticket, now),
        )
