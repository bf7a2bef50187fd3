"""Forecast and funnel: reads over what the user may see (``opportunity_visible_to``,
``lead_visible_to`` and ``quota_visible_to``); every figure is computed per deal, in Decimal,
then summed."""

import datetime
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from leads.models import Lead
from opportunities.models import OPEN_STAGES, Opportunity, Quota, Stage, weighted_amount

ZERO = Decimal("0.00")


@dataclass
class Bucket:
    count: int = 0
    amount: Decimal = ZERO
    weighted: Decimal = ZERO

    def add(self, deal: Opportunity) -> None:
        self.add_figures(deal.amount, deal.weighted_amount)

    def add_figures(self, amount: Decimal, weighted: Decimal) -> None:
        self.count += 1
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


def weighted_pipeline(deals: QuerySet[Opportunity]) -> dict:
    """Open deals by expected close month and by owner: count, amount, amount × probability."""
    by_month: dict[str, Bucket] = defaultdict(Bucket)
    by_rep: dict[str, Bucket] = defaultdict(Bucket)
    total = Bucket()
    rows = (
        deals.filter(state__in=OPEN_STAGES)
        .order_by()
        .values_list("amount", "probability", "expected_close_date", "owner_id")
    )  # figures only: a hundred thousand deals are tuples, not model instances
    rows = list(rows)
    owners = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in={r[3] for r in rows})}
    for amount, probability, close_date, owner_id in rows:
        weighted = weighted_amount(amount, probability)
        by_month[_month(close_date)].add_figures(amount, weighted)
        by_rep[owners.get(owner_id, str(None))].add_figures(amount, weighted)
        total.add_figures(amount, weighted)
    return {
        "by_month": OrderedDict(sorted(by_month.items())),
        "by_rep": OrderedDict(sorted(by_rep.items())),
        "total": total,
    }


@dataclass
class Outcomes:
    won: int = 0
    lost: int = 0
    won_amount: Decimal = ZERO
    cycle_days: list[int] = field(default_factory=list)
    lost_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def win_rate(self) -> Decimal | None:
        closed = self.won + self.lost
        return (Decimal(100) * self.won / closed).quantize(Decimal("0.1")) if closed else None

    @property
    def average_cycle_days(self) -> Decimal | None:
        if not self.cycle_days:
            return None
        return (Decimal(sum(self.cycle_days)) / len(self.cycle_days)).quantize(Decimal("0.1"))


def outcomes(deals: QuerySet[Opportunity], *, start: datetime.date, end: datetime.date) -> Outcomes:
    """Deals closed in [start, end]: win rate, won amount, days from creation to win,
    lost reasons."""
    result = Outcomes()
    closed = (
        deals.filter(
            state__in=[Stage.WON, Stage.LOST], closed_at__date__gte=start, closed_at__date__lte=end
        )
        .order_by()
        .values_list("state", "amount", "closed_at", "created_at", "lost_reason__name")
    )  # figures only: tuples, not model instances
    reasons: dict[str, int] = defaultdict(int)
    for state, amount, closed_at, created_at, reason in closed:
        if state == Stage.WON:
            result.won += 1
            result.won_amount += amount
            result.cycle_days.append((closed_at - created_at).days)
        else:
            result.lost += 1
            reasons[reason or "no reason"] += 1
    result.lost_reasons = dict(sorted(reasons.items(), key=lambda item: -item[1]))
    return result


FUNNEL_STEPS = ("enquiries", "qualified", "converted", "won")


def funnel(leads: QuerySet[Lead], *, by: str = "channel") -> OrderedDict:
    """Enquiries → qualified (now qualified or converted) → converted → won, per channel or
    source."""
    if by not in ("channel", "source"):
        raise ValueError(by)
    labels = dict(Lead.Channel.choices if by == "channel" else Lead.Source.choices)
    rows: dict[str, dict[str, int]] = OrderedDict(
        (label, dict.fromkeys(FUNNEL_STEPS, 0)) for label in labels.values()
    )
    won = Exists(Opportunity.objects.filter(state=Stage.WON, source_lead=OuterRef("pk")))
    counted = (
        leads.order_by()
        .values(by)
        .annotate(
            enquiries=Count("pk"),
            qualified=Count("pk", filter=Q(state__in=[Lead.State.QUALIFIED, Lead.State.CONVERTED])),
            converted=Count("pk", filter=Q(state=Lead.State.CONVERTED)),
            won=Count("pk", filter=Q(won)),
        )
    )  # one aggregate, not a loop over every enquiry
    for counts in counted:
        row = rows.setdefault(labels.get(counts[by], counts[by]), dict.fromkeys(FUNNEL_STEPS, 0))
        for step in FUNNEL_STEPS:
            row[step] += counts[step]
    return rows


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


def attainment(
    deals: QuerySet[Opportunity],
    quotas: QuerySet[Quota],
    *,
    start: datetime.date,
    end: datetime.date,
) -> dict:
    """Per rep for [start, end]: the quotas of periods starting in it (whole, not prorated:
    this quarter's quota counts on the year-to-date report), deals won in it (by
    ``closed_at``) and open deals expected to close in it, weighted. Two queries."""
    rows: dict[int, Attainment] = {}

    def row_of(user) -> Attainment:
        return rows.setdefault(user.pk, Attainment(rep=str(user)))

    for quota in quotas.filter(period_start__gte=start, period_start__lte=end).select_related(
        "owner"
    ):
        row = row_of(quota.owner)
        row.quota = (row.quota or ZERO) + quota.amount
    counted = list(
        deals.filter(
            Q(state=Stage.WON, closed_at__date__gte=start, closed_at__date__lte=end)
            | Q(state__in=OPEN_STAGES, expected_close_date__gte=start, expected_close_date__lte=end)
        )
        .order_by()
        .values_list("owner_id", "state", "amount", "probability")
    )  # figures only: tuples, not model instances
    owners = get_user_model().objects.in_bulk({owner_id for owner_id, *_rest in counted})
    for owner_id, state, amount, probability in counted:
        row = row_of(owners.get(owner_id))
        if state == Stage.WON:
            row.won += amount
        else:
            row.pipeline += weighted_amount(amount, probability)
    ordered = sorted(rows.values(), key=lambda row: row.rep.lower())
    quotas = [row.quota for row in ordered if row.quota is not None]
    total = Attainment(
        rep="Total",
        quota=sum(quotas, ZERO) if quotas else None,
        won=sum((row.won for row in ordered), ZERO),
        pipeline=sum((row.pipeline for row in ordered), ZERO),
    )
    return {"rows": ordered, "total": total}
