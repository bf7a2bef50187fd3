"""Demo pipeline: converted enquiries plus opportunities in every stage over twelve months."""

import datetime
import random
from decimal import ROUND_CEILING, Decimal

from django.utils import timezone

from leads.models import Lead
from opportunities import quotas, services
from opportunities.models import OPEN_STAGES, LostReason, Opportunity, Quota, Stage
from opportunities.reports import quarter_of
from sfa.catalog.models import Product
from sfa.core.access import Role
from sfa.core.demo import DemoContext
from sfa.core.models import User
from sfa.customers.models import Account

COUNT = 120


def _close(ctx: DemoContext, opportunity: Opportunity) -> None:
    rng, owner = ctx.rng, opportunity.owner
    roll = rng.random()
    if roll < 0.5:
        stage = rng.choice(OPEN_STAGES)
        if stage != opportunity.state:
            services.opportunity_move(opportunity=opportunity, actor=owner, stage=stage)
    elif roll < 0.75:
        services.opportunity_win(opportunity=opportunity, actor=owner)
    else:
        services.opportunity_lose(
            opportunity=opportunity, actor=owner, reason=rng.choice(list(LostReason.objects.all()))
        )


def load_demo_opportunities(ctx: DemoContext) -> None:
    if Opportunity.objects.exists():
        ctx.log("  opportunities: already there")
        return
    rng = ctx.rng
    for lead in Lead.objects.filter(state=Lead.State.QUALIFIED).order_by("pk")[:25]:
        actor = (
            lead.owner if lead.owner.has_perm("leads.convert_lead") else ctx.users["salesmanager"]
        )
        services.lead_convert(lead=lead, actor=actor)
    accounts = list(Account.objects.filter(code__startswith="D").select_related("owner")[:150])
    products = list(Product.objects.filter(is_active=True))
    for index in range(COUNT):
        account = rng.choice(accounts)
        close = ctx.today + datetime.timedelta(days=rng.randint(-330, 150))
        lines = [
            {"product": p, "quantity": Decimal(rng.choice([1, 2, 4]))}
            for p in rng.sample(products, k=rng.randint(1, 3))
        ]
        opportunity = services.opportunity_create(
            actor=account.owner,
            lines=lines,
            stage=rng.choice([Stage.PROSPECTING, Stage.QUALIFICATION]),
            data={
                "title": f"{account.name}: {lines[0]['product'].category or 'order'} {index}",
                "account": account,
                "expected_close_date": close,
                "next_step": rng.choice(["Send offer", "Demo on site", "Call the buyer"]),
            },
        )
        _close(ctx, opportunity)
        opportunity.refresh_from_db()
        if opportunity.is_open:  # some deals sit in their stage for a while: idle flags show
            since = timezone.now() - datetime.timedelta(days=rng.randint(0, 60))
            Opportunity.objects.filter(pk=opportunity.pk).update(stage_changed_at=since)
        if close < ctx.today and opportunity.pk:
            # closed deals closed on their date, so funnel and win-rate charts span the year
            moment = timezone.make_aware(datetime.datetime.combine(close, datetime.time(12)))
            opened = moment - datetime.timedelta(days=rng.randint(10, 120))
            Opportunity.objects.filter(pk=opportunity.pk, closed_at__isnull=False).update(
                closed_at=moment, stage_changed_at=moment, created_at=opened
            )
    ctx.log(f"  opportunities: {Opportunity.objects.count()} in the pipeline")


def _demo_quota(owner, start: datetime.date, end: datetime.date, *, today) -> Decimal:
    """What the rep won in the period, plus for a period still running the open deals
    expected in it (weighted), stretched by 85 to 130 %, rounded up to a thousand:
    attainments a manager would recognise."""
    deals = Opportunity.objects.filter(owner=owner)
    won = deals.filter(state=Stage.WON, closed_at__date__gte=start, closed_at__date__lte=end)
    expected = deals.filter(
        state__in=OPEN_STAGES,
        expected_close_date__gte=max(start, today),
        expected_close_date__lte=end,
    )
    reachable = sum((d.amount for d in won), Decimal(0)) + sum(
        (d.weighted_amount for d in expected), Decimal(0)
    )
    stretch = Decimal(random.Random(f"{owner.username} {start}").randint(85, 130)) / 100
    thousands = (reachable * stretch / 1000).to_integral_value(rounding=ROUND_CEILING)
    return max(thousands, Decimal(10)) * 1000


def load_demo_quotas(ctx: DemoContext) -> None:
    """Quotas for the reps with deals, for the current and the previous quarter."""
    current = quarter_of(ctx.today)
    periods = [quarter_of(current[0] - datetime.timedelta(days=1)), current]
    reps = (
        Opportunity.objects.filter(owner__groups__name=Role.SALES_REP.value)
        .values_list("owner", flat=True)
        .distinct()
    )
    manager = ctx.users.get("salesmanager")
    made = 0
    for owner in User.objects.filter(pk__in=reps).order_by("pk"):
        for start, end in periods:
            if Quota.objects.filter(owner=owner, period_start=start).exists():
                continue
            amount = _demo_quota(owner, start, end, today=ctx.today)
            quota = Quota(owner=owner, period_start=start, period_end=end, amount=amount)
            quotas.quota_save(quota=quota, actor=manager)
            made += 1
    ctx.log(f"  quotas: {made} added, {Quota.objects.count()} in all")
