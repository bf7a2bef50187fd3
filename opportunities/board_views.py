"""The pipeline board: open deals and recent wins by stage; a card dropped on a column moves
the deal (``opportunities.services``), a refused move answers 409 and the card snaps back.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opportunities import selectors, services
from opportunities.models import OPEN_STAGES, Stage, StageSetting
from opportunities.views import visible_opportunities
from sfa.core.exceptions import DomainError

BOARD_STAGES = [*OPEN_STAGES, Stage.WON]
WON_SHOWN_DAYS = 30  # the Won column shows the last month's wins
BOARD_CARDS = 50  # cards per column; the column's count and totals cover all its deals
STAND_IN_PK = 987654321987  # reversed once per URL name, then replaced by each card's pk


def board_context(request) -> dict:
    """Open deals and recent wins by stage: each column's count and totals and its first
    ``BOARD_CARDS`` cards (closing soonest) from ``selectors.board_cards``, two queries
    whatever the number of deals; the rest are a link to the list of that stage."""
    settings_by_stage = {s.stage: s for s in StageSetting.objects.all()}
    now = timezone.now()
    deals = selectors.opportunity_visible_to(request.user).filter(
        Q(state__in=OPEN_STAGES)
        | Q(state=Stage.WON, stage_changed_at__gte=now - timedelta(days=WON_SHOWN_DAYS))
    )
    if request.GET.get("owner") == "me":
        deals = deals.filter(owner=request.user)
    totals, first_cards = selectors.board_cards(deals, per_stage=BOARD_CARDS)
    cards_by_stage = _cards_by_stage(first_cards, now=now, settings_by_stage=settings_by_stage)
    columns = []
    for stage, cards in cards_by_stage.items():
        setting = settings_by_stage.get(stage)
        figures = totals.get(stage, {})
        columns.append(
            {
                "stage": stage,
                "label": setting.label if setting else stage.label,
                "cards": cards,
                "count": figures.get("deals", 0),
                "more": figures.get("deals", 0) - len(cards),
                "total": figures.get("total") or Decimal("0.00"),
                "weighted": figures.get("weighted") or Decimal("0.00"),
            }
        )
    return {"columns": columns, "mine": request.GET.get("owner") == "me"}


def _cards_by_stage(deals, *, now, settings_by_stage: dict) -> dict[str, list[dict]]:
    """The cards of each stage: the deal, days in its stage, whether that is too long, and
    the URLs to open and move it."""
    detail_url, move_url = _card_url("opportunities:detail"), _card_url("opportunities:board-move")
    cards_by_stage: dict[str, list] = {stage: [] for stage in BOARD_STAGES}
    for deal in deals:
        days = (now - deal.stage_changed_at).days
        setting = settings_by_stage.get(deal.state)
        idle = deal.is_open and setting is not None and days > setting.idle_days
        cards_by_stage[deal.state].append(
            {
                "deal": deal,
                "days": days,
                "idle": idle,
                "url": detail_url(deal.pk),
                "move_url": move_url(deal.pk),
            }
        )
    return cards_by_stage


def _card_url(name: str):
    """The URL of a card's deal by its pk: ``{% url %}`` for every card was most of the
    board's rendering time; the URL is reversed once and the pk put in place."""
    pattern = reverse(name, args=[STAND_IN_PK])
    return lambda pk: pattern.replace(str(STAND_IN_PK), str(pk))


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
@require_GET
def pipeline_board(request):
    return render(request, "opportunities/board.html", board_context(request))


@login_required
@permission_required("opportunities.change_opportunity", raise_exception=True)
@require_POST
def board_move(request, pk: int):
    """A card dropped on a column: the transition, then the whole board again. A refused move
    answers 409 with the board as it is, so the card snaps back, and says why."""
    deal = get_object_or_404(visible_opportunities(request), pk=pk)
    stage = request.POST.get("stage", "")
    status = 200
    try:
        if stage == Stage.WON:
            services.opportunity_win(opportunity=deal, actor=request.user)
        else:
            services.opportunity_move(opportunity=deal, actor=request.user, stage=stage)
        messages.success(request, f"“{deal.title}” moved to {stage}.")
    except DomainError as error:
        messages.error(request, f"“{deal.title}” stays where it is: {error.detail}")
        status = error.status
    return render(
        request, "opportunities/partials/board.html", board_context(request), status=status
    )
