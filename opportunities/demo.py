"""Demo pipeline: converted enquiries plus opportunities in every stage over twelve months."""

import datetime
from decimal import Decimal

from django.utils import timezone

from leads.models import Lead
from opportunities import services
from opportunities.models import OPEN_STAGES, LostReason, Opportunity, Stage
from sfa.catalog.models import Product
from sfa.core.demo import DemoContext
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
            Opportunity.objects.filter(pk=opportunity.pk, closed_at__isnull=False).update(
                closed_at=moment, stage_changed_at=moment
            )
    ctx.log(f"  opportunities: {Opportunity.objects.count()} in the pipeline")
