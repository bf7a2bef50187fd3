"""Support statistics: volumes, backlog, response and resolution times, SLA attainment and
customer ratings for a period, a team and an agent (definitions in ``tickets.support_metrics``).

Pure reads in a fixed number of queries however many tickets there are: counts are grouped in
the database, medians and 90th percentiles are computed here over business minutes. Backlog,
overdue and age are open tickets (new, open, pending) now, whatever the period; ratings are
those given in the period.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from tickets.models import Priority, Ticket, TicketRating
from tickets.support_metrics import (
    OPEN,
    Clock,
    Conditions,
    Filters,
    assignee_name,
    first_response_minutes,
    format_minutes,
    percentile,
    resolution_minutes,
    scoped_tickets,
)

COMMENTS = 10  # latest rating comments shown
SATISFIED = 4  # a rating of 4 or 5 is a satisfied customer
# Age of open tickets: (label, lower bound in days, upper bound in days or None)
AGE_BUCKETS = (
    ("< 1 day", 0, 1),
    ("1–3 days", 1, 3),
    ("3–7 days", 3, 7),
    ("1–4 weeks", 7, 28),
    ("older", 28, None),
)


# Results -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Durations:
    """Business minutes of a set of tickets."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, minutes: Sequence[float]) -> "Durations":
        return cls(len(minutes), percentile(minutes, 0.5), percentile(minutes, 0.9))

    @property
    def median_text(self) -> str:
        return format_minutes(self.median)

    @property
    def p90_text(self) -> str:
        return format_minutes(self.p90)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Attainment:
    met: int = 0
    breached: int = 0

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def percent(self) -> float | None:
        """Share of targets met, one decimal; None when none was decided."""
        return _percent(self.met, self.decided)

    def __add__(self, other: "Attainment") -> "Attainment":
        return Attainment(self.met + other.met, self.breached + other.breached)


@dataclass(frozen=True)
class Ratings:
    count: int = 0
    total: int = 0  # sum of the scores

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    def __add__(self, other: "Ratings") -> "Ratings":
        return Ratings(self.count + other.count, self.total + other.total)


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    created: int
    resolved: int


@dataclass
class GroupRow:
    """One team, agent or category: its backlog now and its figures in the period."""

    key: int | None  # the pk; None: no team / unassigned / uncategorised
    label: str
    open: int = 0
    created: int = 0
    resolved: int = 0
    first_response_sla: Attainment = field(default_factory=Attainment)
    resolution_sla: Attainment = field(default_factory=Attainment)
    first_response: Durations = field(default_factory=Durations)
    resolution: Durations = field(default_factory=Durations)
    ratings: Ratings = field(default_factory=Ratings)

    @property
    def sla(self) -> Attainment:
        """Both targets together."""
        return self.first_response_sla + self.resolution_sla


@dataclass(frozen=True)
class BacklogRow:
    state: str
    label: str
    by_priority: list[int]  # in the order of ``PRIORITIES``
    total: int


@dataclass(frozen=True)
class RatingComment:
    ticket_id: int
    number: str
    subject: str
    agent: str
    score: int
    comment: str
    rated_at: datetime.datetime


PRIORITIES = [(value, label) for value, label in Priority.choices]


@dataclass
class SupportStatistics:
    filters: Filters
    now: datetime.datetime
    time_basis: str  # how times of tickets without an SLA policy are measured
    created: int
    resolved: int
    created_before: int  # in the previous period of the same length
    resolved_before: int
    backlog: int
    unassigned: int
    overdue: int
    per_day: list[DayCount]
    backlog_by_state: list[BacklogRow]
    backlog_by_priority: list[int]  # in the order of ``PRIORITIES``
    age: list[tuple[str, int]]
    first_response: Durations
    resolution: Durations
    first_response_sla: Attainment
    resolution_sla: Attainment
    teams: list[GroupRow]
    agents: list[GroupRow]
    categories: list[GroupRow]
    ratings: Ratings
    rating_distribution: dict[int, int]  # score 5…1 → count
    rating_comments: list[RatingComment]
    priorities: list[tuple[str, str]] = field(default_factory=lambda: PRIORITIES)

    @property
    def created_change(self) -> int:
        """Created in the period less created in the previous one of the same length."""
        return self.created - self.created_before

    @property
    def resolved_change(self) -> int:
        return self.resolved - self.resolved_before

    @property
    def breaches(self) -> int:
        return self.first_response_sla.breached + self.resolution_sla.breached

    @property
    def satisfied_percent(self) -> float | None:
        """Share of ratings of 4 or 5 stars."""
        happy = sum(n for score, n in self.rating_distribution.items() if score >= SATISFIED)
        return _percent(happy, self.ratings.count)


# The report ---------------------------------------------------------------------------------------


def support_statistics(
    *, user, filters: Filters, now: datetime.datetime | None = None
) -> SupportStatistics:
    """Every figure of the dashboard, in a fixed number of queries."""
    now = now or timezone.now()
    clock = Clock.load()
    tickets = scoped_tickets(user, filters)
    when = Conditions.of(filters, now)
    totals = _totals(tickets, filters, when, now)
    ratings = _ratings(tickets, filters)
    times, teams, agents = _groups(tickets, when, clock, ratings)
    return SupportStatistics(
        filters=filters,
        now=now,
        time_basis=clock.basis,
        created=totals["created_count"],
        resolved=totals["resolved_count"],
        created_before=totals["created_before"],
        resolved_before=totals["resolved_before"],
        backlog=totals["open_count"],
        unassigned=totals["unassigned"],
        overdue=totals["overdue"],
        per_day=_per_day(tickets, filters, when),
        **_backlog(tickets, when),
        age=[(label, totals[f"age_{index}"]) for index, (label, *_) in enumerate(AGE_BUCKETS)],
        first_response=Durations.of(times["first_response"]["all", None]),
        resolution=Durations.of(times["resolution"]["all", None]),
        first_response_sla=Attainment(totals["fr_met"], totals["fr_breached"]),
        resolution_sla=Attainment(totals["res_met"], totals["res_breached"]),
        teams=teams,
        agents=agents,
        categories=_categories(tickets, when),
        ratings=ratings["total"],
        rating_distribution=ratings["distribution"],
        rating_comments=_comments(tickets, filters),
    )


def _totals(tickets, filters: Filters, when: Conditions, now) -> dict:
    before = Conditions.of(filters.previous(), now)
    overdue = when.open & (
        Q(first_responded_at__isnull=True, first_response_due__lt=now)
        | (~Q(state=Ticket.State.PENDING) & Q(resolution_due__lt=now))
    )
    ages = {}
    for index, (_label, low, high) in enumerate(AGE_BUCKETS):
        age = Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            age &= Q(created_at__gt=now - datetime.timedelta(days=high))
        ages[f"age_{index}"] = Count("pk", filter=when.open & age)
    return tickets.aggregate(
        **when.counts(),
        created_before=Count("pk", filter=before.created),
        resolved_before=Count("pk", filter=before.resolved),
        unassigned=Count("pk", filter=when.open & Q(assignee__isnull=True)),
        overdue=Count("pk", filter=overdue),
        **ages,
    )


def _per_day(tickets, filters: Filters, when: Conditions) -> list[DayCount]:
    tz = timezone.get_current_timezone()
    counts: dict[str, dict] = {}
    for kind, moment, condition in (
        ("created", "created_at", when.created),
        ("resolved", "resolved_at", when.resolved),
    ):
        rows = (
            tickets.filter(condition)
            .annotate(day=TruncDate(moment, tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
            .order_by("day")
        )
        counts[kind] = {row["day"]: row["n"] for row in rows}
    days = (filters.start + datetime.timedelta(days=n) for n in range(filters.days))
    return [
        DayCount(day, counts["created"].get(day, 0), counts["resolved"].get(day, 0)) for day in days
    ]


def _backlog(tickets, when: Conditions) -> dict:
    cells = defaultdict(int)
    for row in tickets.filter(when.open).values("state", "priority").annotate(n=Count("pk")):
        cells[row["state"], row["priority"]] = row["n"]
    rows = []
    for state in OPEN:
        counts = [cells[state, priority] for priority, _ in PRIORITIES]
        rows.append(BacklogRow(state, Ticket.State(state).label, counts, sum(counts)))
    return {
        "backlog_by_state": rows,
        "backlog_by_priority": [sum(cells[s, p] for s in OPEN) for p, _ in PRIORITIES],
    }


def _active(tickets, when: Conditions):
    """Only the rows something is counted of (the counts themselves filter again)."""
    return tickets.filter(
        when.open
        | when.created
        | when.resolved
        | when.first_response_met
        | when.first_response_breached
        | when.resolution_breached
    )


def _categories(tickets, when: Conditions) -> list[GroupRow]:
    rows = (
        _active(tickets, when)
        .values("category", "category__name")
        .annotate(
            open_count=Count("pk", filter=when.open),
            created_count=Count("pk", filter=when.created),
            resolved_count=Count("pk", filter=when.resolved),
        )
    )
    found = [
        GroupRow(
            row["category"],
            row["category__name"] or "No category",
            open=row["open_count"],
            created=row["created_count"],
            resolved=row["resolved_count"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda r: (-r.open, -r.created, r.key is None, r.label))


def _groups(tickets, when: Conditions, clock: Clock, ratings: dict):
    """Team and agent rows (counts grouped in the database, times computed here) and the
    times of all tickets."""
    active = _active(tickets, when)
    teams = {
        row["team"]: _group_row(row, row["team"], row["team__name"] or "No team")
        for row in active.values("team", "team__name").annotate(**when.counts())
    }
    agents = {
        row["assignee"]: _group_row(
            row, row["assignee"], assignee_name(row) if row["assignee"] else "Unassigned"
        )
        for row in active.values(
            "assignee", "assignee__first_name", "assignee__last_name", "assignee__username"
        ).annotate(**when.counts())
    }
    times = _times(tickets, when, clock)
    for kind, rows in (("team", teams), ("agent", agents)):
        for key, row in rows.items():
            row.first_response = Durations.of(times["first_response"][kind, key])
            row.resolution = Durations.of(times["resolution"][kind, key])
        for key, rated in ratings[kind].items():  # rated in the period, maybe nothing else
            if key not in rows:
                rows[key] = GroupRow(key, ratings["labels"][kind][key])
            rows[key].ratings = rated
    return times, _sorted(teams), _sorted(agents)


def _sorted(rows: dict) -> list[GroupRow]:
    """Busiest first; "no team" or "unassigned" last."""
    return sorted(rows.values(), key=lambda r: (r.key is None, -r.open, -r.resolved, r.label))


def _times(tickets, when: Conditions, clock: Clock) -> dict:
    """Business minutes to the first response of tickets first answered in the period and
    to the resolution of those resolved in it: kind → (group, key) → [minutes]."""
    times = {"first_response": defaultdict(list), "resolution": defaultdict(list)}
    timed = tickets.filter(when.responded | when.resolved).values(
        "created_at", "first_responded_at", "resolved_at", "paused_minutes",
        "sla_policy__calendar_id", "team", "assignee",
    )  # fmt: skip
    for ticket in timed:
        groups = (("all", None), ("team", ticket["team"]), ("agent", ticket["assignee"]))
        if when.includes(ticket["first_responded_at"]):
            minutes = first_response_minutes(clock, ticket)
            for group in groups:
                times["first_response"][group].append(minutes)
        if when.includes(ticket["resolved_at"]):
            minutes = resolution_minutes(clock, ticket)
            for group in groups:
                times["resolution"][group].append(minutes)
    return times


def _group_row(row: dict, key, label: str) -> GroupRow:
    return GroupRow(
        key,
        label,
        open=row["open_count"],
        created=row["created_count"],
        resolved=row["resolved_count"],
        first_response_sla=Attainment(row["fr_met"], row["fr_breached"]),
        resolution_sla=Attainment(row["res_met"], row["res_breached"]),
    )


def _ratings(tickets, filters: Filters) -> dict:
    """Ratings given in the period: the total, per score, per team and per agent (one
    query, grouped in the database)."""
    lo, hi = filters.bounds()
    rows = (
        TicketRating.objects.filter(
            ticket__in=tickets.values("pk"), created_at__gte=lo, created_at__lt=hi
        )
        .values(
            "score",
            "ticket__team",
            "ticket__team__name",
            "ticket__assignee",
            "ticket__assignee__first_name",
            "ticket__assignee__last_name",
            "ticket__assignee__username",
        )
        .annotate(n=Count("pk"), points=Sum("score"))
        .order_by()
    )
    result = {
        "total": Ratings(),
        "distribution": dict.fromkeys(range(5, 0, -1), 0),
        "team": defaultdict(Ratings),
        "agent": defaultdict(Ratings),
        "labels": {"team": {}, "agent": {}},
    }
    for row in rows:
        rated = Ratings(row["n"], row["points"])
        result["total"] += rated
        result["distribution"][row["score"]] += row["n"]
        team, agent = row["ticket__team"], row["ticket__assignee"]
        result["team"][team] += rated
        result["agent"][agent] += rated
        result["labels"]["team"][team] = row["ticket__team__name"] or "No team"
        names = {k.removeprefix("ticket__"): v for k, v in row.items()}
        result["labels"]["agent"][agent] = assignee_name(names) if agent else "Unassigned"
    return result


def _comments(tickets, filters: Filters) -> list[RatingComment]:
    lo, hi = filters.bounds()
    latest = (
        TicketRating.objects.filter(
            ticket__in=tickets.values("pk"), created_at__gte=lo, created_at__lt=hi
        )
        .exclude(comment="")
        .select_related("ticket__assignee")
        .order_by("-created_at", "-pk")[:COMMENTS]
    )
    return [
        RatingComment(
            rating.ticket_id,
            rating.ticket.number,
            rating.ticket.subject,
            str(rating.ticket.assignee) if rating.ticket.assignee_id else "Unassigned",
            rating.score,
            rating.comment,
            rating.created_at,
        )
        for rating in latest
    ]
