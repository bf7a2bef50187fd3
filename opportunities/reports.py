"""Forecast and funnel: reads over what the user may see (``opportunity_visible_to``,
``lead_visible_to`` and ``quota_visible_to``).

The database adds up: the deals' figures come from one aggregate (``_deal_groups``: per owner,
stage, expected close month and lost reason), each deal's weighted amount rounded to the cent
before it is summed (``weighted_amount_sql``, the rule of ``weighted_amount``); the funnel from
another. Python only combines those few hundred groups, in Decimal, so the figures are the
per-deal sums to the cent, and the number of queries does not depend on the number of deals.
"""

import datetime
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from leads.models import Lead
from opportunities.models import OPEN_STAGES, Quota, Stage, weighted_amount_sql

ZERO = Decimal("0.00")
CLOSED_STAGES = [Stage.WON, Stage.LOST]


@dataclass
class Bucket:
    count: int = 0
    amount: Decimal = ZERO
    weighted: Decimal = ZERO

    def add_figures(self, amount: Decimal, weighted: Decimal, count: int = 1) -> None:
        self.count += count
        self.amount += amount
        self.weighted += weighted


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the quarter ``day`` is in."""
    start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return start, month_of(start.replace(month=start.month + 2))[1]


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month ``day`` is in."""
    start = day.replace(day=1)
    after = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, after - datetime.timedelta(days=1)


def _month(day: datetime.date | None) -> str:
    return day.strftime("%Y-%m") if day else "no date"


class WholeDays(Func):
    """``WholeDays(later, earlier)``: the days from one datetime to the other, rounded down
    as ``(later - earlier).days`` is."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # SQLite: julian days
        return super().as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        # the difference of two timestamps has no months: its epoch is its exact length
        return super().as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)",
            arg_joiner=" - ",
            **extra_context,
        )


def _closed_between(start: datetime.date, end: datetime.date) -> Q:
    """Closed on a day of [start, end] in the current time zone: the deals of
    ``closed_at__date__range=(start, end)``, as a range of instants an index can serve."""
    closed = Q(closed_at__isnull=False)
    if start > datetime.date.min:
        closed &= Q(closed_at__gte=_day_start(start))
    if end < datetime.date.max:
        closed &= Q(closed_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return closed


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _deal_groups(
    deals: QuerySet, period: tuple[datetime.date, datetime.date] | None = None
) -> list[dict]:
    """One aggregate over the open deals and, given a period, those won or lost in it: per
    owner, stage, expected close month (open deals) and lost reason, the number of deals,
    their amount (``total``) and weighted amount. With a period also, of open stages, the
    weighted amount of the deals expected to close in it (``due_weighted``, None if none
    is), and of won deals the days from creation to closing, added up (``cycle_days``)."""
    open_deal = Q(state__in=OPEN_STAGES)
    figures = {
        "deals": Count("pk"),
        "total": Sum("amount"),  # not "amount": F("amount") would then mean the sum
        "weighted": Sum(weighted_amount_sql()),
    }
    if period is None:
        deals = deals.filter(open_deal)
    else:
        start, end = period
        deals = deals.filter(open_deal | Q(state__in=CLOSED_STAGES) & _closed_between(start, end))
        due = Q(expected_close_date__gte=start, expected_close_date__lte=end)
        figures["due_weighted"] = Sum(weighted_amount_sql(), filter=due)
        figures["cycle_days"] = Sum(WholeDays("closed_at", "created_at"), filter=Q(state=Stage.WON))
    close_month = TruncMonth(
        Case(When(open_deal, then=F("expected_close_date")), output_field=DateField())
    )
    groups = (
        deals.order_by()
        .values("owner_id", "state", reason=F("lost_reason__name"), month=close_month)
        .annotate(**figures)
    )
    return list(groups)


def _owner_names(groups: list[dict]) -> dict[int, str]:
    owner_ids = {group["owner_id"] for group in groups}
    return {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=owner_ids)}


def _pipeline(groups: list[dict], names: dict[int, str]) -> dict:
    by_month: dict[str, Bucket] = defaultdict(Bucket)
    by_rep: dict[str, Bucket] = defaultdict(Bucket)
    total = Bucket()
    for group in groups:
        if group["state"] not in OPEN_STAGES:
            continue
        figures = (group["total"], group["weighted"], group["deals"])
        by_month[_month(group["month"])].add_figures(*figures)
        by_rep[names.get(group["owner_id"], str(None))].add_figures(*figures)
        total.add_figures(*figures)
    return {
        "by_month": OrderedDict(sorted(by_month.items())),
        "by_rep": OrderedDict(sorted(by_rep.items())),
        "total": total,
    }


def weighted_pipeline(deals: QuerySet) -> dict:
    """Open deals by expected close month and by owner: count, amount, amount × probability."""
    groups = _deal_groups(deals)
    return _pipeline(groups, _owner_names(groups))


@dataclass
class Outcomes:
    won: int = 0
    lost: int = 0
    won_amount: Decimal = ZERO
    cycle_days: int = 0  # of the won deals, added up
    lost_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def win_rate(self) -> Decimal | None:
        closed = self.won + self.lost
        return (Decimal(100) * self.won / closed).quantize(Decimal("0.1")) if closed else None

    @property
    def average_cycle_days(self) -> Decimal | None:
        if not self.won:
            return None
        return (Decimal(self.cycle_days) / self.won).quantize(Decimal("0.1"))


def _outcomes(groups: list[dict]) -> Outcomes:
    result = Outcomes()
    reasons: dict[str, int] = defaultdict(int)
    for group in groups:
        if group["state"] == Stage.WON:
            result.won += group["deals"]
            result.won_amount += group["total"]
            result.cycle_days += int(group["cycle_days"])
        elif group["state"] == Stage.LOST:
            result.lost += group["deals"]
            reasons[group["reason"] or "no reason"] += group["deals"]
    result.lost_reasons = dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0])))
    return result


def outcomes(deals: QuerySet, *, start: datetime.date, end: datetime.date) -> Outcomes:
    """Deals closed in [start, end]: win rate, won amount, days from creation to win,
    lost reasons."""
    return _outcomes(_deal_groups(deals, period=(start, end)))


FUNNEL_STEPS = ("enquiries", "qualified", "converted", "won")
FUNNEL_BY = {"channel": Lead.Channel, "source": Lead.Source}


def funnels(leads: QuerySet[Lead]) -> dict[str, OrderedDict]:
    """Enquiries → qualified (now qualified or converted) → converted → won, per channel and
    per source (``{"channel": rows, "source": rows}``), from one aggregate over the enquiries.
    Won: the deal converted from the enquiry is won (whoever may see that deal)."""
    labels = {by: dict(choices.choices) for by, choices in FUNNEL_BY.items()}
    tables = {
        by: OrderedDict((label, dict.fromkeys(FUNNEL_STEPS, 0)) for label in names.values())
        for by, names in labels.items()
    }
    # at most one deal per enquiry (``source_lead`` is one-to-one): the join doubles no row
    won_deal = FilteredRelation("opportunity", condition=Q(opportunity__state=Stage.WON))
    counted = (
        leads.order_by()
        .annotate(won_deal=won_deal)
        .values(*FUNNEL_BY)
        .annotate(
            enquiries=Count("pk"),
            qualified=Count("pk", filter=Q(state__in=[Lead.State.QUALIFIED, Lead.State.CONVERTED])),
            converted=Count("pk", filter=Q(state=Lead.State.CONVERTED)),
            won=Count("won_deal"),
        )
    )
    for counts in counted:
        for by, names in labels.items():
            label = names.get(counts[by], counts[by])
            row = tables[by].setdefault(label, dict.fromkeys(FUNNEL_STEPS, 0))
            for step in FUNNEL_STEPS:
                row[step] += counts[step]
    return tables


def funnel(leads: QuerySet[Lead], *, by: str = "channel") -> OrderedDict:
    """The funnel per channel or per source (see ``funnels``)."""
    if by not in FUNNEL_BY:
        raise ValueError(by)
    return funnels(leads)[by]


def funnel_totals(rows: dict[str, dict[str, int]]) -> dict[str, int]:
    """The funnel over every channel (or source): each step summed."""
    return {step: sum(row[step] for row in rows.values()) for step in FUNNEL_STEPS}


@dataclass
class Attainment:
    """One rep's period: quota, won amount, attainment and what is still open."""

    rep: str
    quota: Decimal | None = None  # None: no quota for the period
    won: Decimal = ZERO
    pipeline: Decimal = ZERO  # open deals expected to close in the period, weighted

    @property
    def percent(self) -> Decimal | None:
        """Won / quota in percent, one decimal; None without a quota (or a zero one)."""
        if not self.quota:
            return None
        return (Decimal(100) * self.won / self.quota).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _attainment(
    groups: list[dict],
    names: dict[int, str],
    quotas: QuerySet[Quota],
    *,
    start: datetime.date,
    end: datetime.date,
) -> dict:
    rows: dict[int, Attainment] = {}
    for quota in quotas.filter(period_start__gte=start, period_start__lte=end).select_related(
        "owner"
    ):
        row = rows.setdefault(quota.owner_id, Attainment(rep=str(quota.owner)))
        row.quota = (row.quota or ZERO) + quota.amount
    for group in groups:
        owner_id = group["owner_id"]
        if group["state"] == Stage.WON:
            row = rows.setdefault(owner_id, Attainment(rep=names.get(owner_id, str(None))))
            row.won += group["total"]
        elif group["state"] in OPEN_STAGES and group["due_weighted"] is not None:
            row = rows.setdefault(owner_id, Attainment(rep=names.get(owner_id, str(None))))
            row.pipeline += group["due_weighted"]
    ordered = sorted(rows.values(), key=lambda row: row.rep.lower())
    quotas = [row.quota for row in ordered if row.quota is not None]
    total = Attainment(
        rep="Total",
        quota=sum(quotas, ZERO) if quotas else None,
        won=sum((row.won for row in ordered), ZERO),
        pipeline=sum((row.pipeline for row in ordered), ZERO),
    )
    return {"rows": ordered, "total": total}


def attainment(
    deals: QuerySet,
    quotas: QuerySet[Quota],
    *,
    start: datetime.date,
    end: datetime.date,
) -> dict:
    """Per rep for [start, end]: the quotas of periods starting in it (whole, not prorated:
    this quarter's quota counts on the year-to-date report), deals won in it (by
    ``closed_at``) and open deals expected to close in it, weighted."""
    groups = _deal_groups(deals, period=(start, end))
    return _attainment(groups, _owner_names(groups), quotas, start=start, end=end)


@dataclass
class Forecast:
    pipeline: dict
    outcomes: Outcomes
    attainment: dict | None


def forecast(
    deals: QuerySet,
    *,
    quotas: QuerySet[Quota] | None,
    start: datetime.date,
    end: datetime.date,
) -> Forecast:
    """The forecast page's figures: the weighted pipeline, the outcomes of [start, end] and,
    given the quotas the user may see (None: no attainment), attainment. Three queries
    whatever the number of deals: the deals' aggregate, their owners' names, the quotas."""
    groups = _deal_groups(deals, period=(start, end))
    names = _owner_names(groups)
    return Forecast(
        pipeline=_pipeline(groups, names),
        outcomes=_outcomes(groups),
        attainment=None
        if quotas is None
        else _attainment(groups, names, quotas, start=start, end=end),
    )
