"""Staff UI of opportunities: conversion of enquiries, pipeline board, list and detail."""

import csv
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed

from leads.selectors import lead_visible_to
from opportunities import reports, selectors, services
from opportunities.forms import ConvertForm
from opportunities.models import OPEN_STAGES, LostReason, Stage, StageSetting
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.core.forms import apply_domain_error, staff_users
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.models import Branch


@login_required
@permission_required("leads.convert_lead", raise_exception=True)
def convert_lead(request, lead_pk: int):
    """What the conversion will link or create, then the conversion itself."""
    lead = get_object_or_404(lead_visible_to(request.user).select_related("account"), pk=lead_pk)
    if not can_proceed(lead.convert):
        messages.error(
            request,
            f"{lead.number} is {lead.get_state_display().lower()}; only a "
            "qualified enquiry can be converted.",
        )
        return redirect("leads:detail", pk=lead.pk)
    found = selectors.conversion_candidates(lead=lead, user=request.user)
    form = ConvertForm(request.POST or None, lead=lead, **found)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.lead_convert(lead=lead, actor=request.user, **form.chosen())
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
        else:
            messages.success(
                request,
                f"{lead.number} converted: opportunity “{opportunity}” "
                f"for {opportunity.account.name}.",
            )
            return redirect(reverse("customers:detail", args=[opportunity.account_id]))
    elif form.is_bound:
        status = 400
    return render(
        request,
        "opportunities/convert_lead.html",
        {"lead": lead, "form": form, **found},
        status=status,
    )


def account_tab_context(request, account) -> dict:
    deals = selectors.with_list_relations(
        selectors.opportunity_visible_to(request.user).filter(account=account)
    ).order_by("closed_at", "expected_close_date", "pk")
    return {"opportunities": deals}


def account_tab_count(request, account) -> int:
    return (
        selectors.opportunity_visible_to(request.user)
        .filter(account=account, closed_at__isnull=True)
        .count()
    )


# Pipeline board, list and detail ---------------------------------------------------------------

BOARD_STAGES = [*OPEN_STAGES, Stage.WON]


def _visible(request):
    return selectors.with_list_relations(selectors.opportunity_visible_to(request.user))


WON_SHOWN_DAYS = 30  # the Won column shows the last month's wins


def board_context(request) -> dict:
    """Open deals and recent wins by stage: one query, grouped here."""
    settings_by_stage = {s.stage: s for s in StageSetting.objects.all()}
    now = timezone.now()
    deals = _visible(request).filter(
        Q(state__in=OPEN_STAGES)
        | Q(state=Stage.WON, stage_changed_at__gte=now - timedelta(days=WON_SHOWN_DAYS))
    )
    if request.GET.get("owner") == "me":
        deals = deals.filter(owner=request.user)
    cards_by_stage: dict[str, list] = {stage: [] for stage in BOARD_STAGES}
    for deal in deals:
        days = (now - deal.stage_changed_at).days
        setting = settings_by_stage.get(deal.state)
        idle = deal.is_open and setting is not None and days > setting.idle_days
        cards_by_stage[deal.state].append({"deal": deal, "days": days, "idle": idle})
    columns = []
    for stage, cards in cards_by_stage.items():
        setting = settings_by_stage.get(stage)
        columns.append(
            {
                "stage": stage,
                "label": setting.label if setting else stage.label,
                "cards": cards,
                "total": sum((c["deal"].amount for c in cards), Decimal("0.00")),
                "weighted": sum((c["deal"].weighted_amount for c in cards), Decimal("0.00")),
            }
        )
    return {"columns": columns, "mine": request.GET.get("owner") == "me"}


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
    deal = get_object_or_404(_visible(request), pk=pk)
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


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
@require_GET
def opportunity_list(request):
    deals = _visible(request)
    text = request.GET.get("q", "").strip()
    if text:
        deals = selectors.opportunity_search(deals, text)
    states = [s for s in request.GET.getlist("state") if s in Stage.values]
    if states:
        deals = deals.filter(state__in=states)
    page = Paginator(deals.order_by("expected_close_date", "pk"), 25).get_page(
        request.GET.get("page")
    )
    query = urlencode([(k, v) for k in ("q", "state") for v in request.GET.getlist(k)])
    context = {
        "page": page,
        "q": text,
        "states": states,
        "stage_choices": Stage.choices,
        "query": query,
    }
    return render(request, "opportunities/list.html", context)


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
def opportunity_detail(request, pk: int):
    deal = get_object_or_404(_visible(request), pk=pk)
    if request.method == "POST":
        _run_transition(request, deal)
        return redirect("opportunities:detail", pk=deal.pk)
    return render(
        request,
        "opportunities/detail.html",
        {
            "deal": deal,
            "lines": deal.lines.select_related("product"),
            "transitions": available_transitions(deal, request.user),
            "open_stages": [(s, s.label) for s in OPEN_STAGES if s != deal.state],
            "lost_reasons": LostReason.objects.filter(is_active=True),
            "log": transition_history(deal),
        },
    )


def _run_transition(request, deal) -> None:
    name = request.POST.get("transition")
    try:
        if name == "move":
            services.opportunity_move(
                opportunity=deal, actor=request.user, stage=request.POST.get("stage", "")
            )
        elif name == "win":
            services.opportunity_win(opportunity=deal, actor=request.user)
        elif name == "lose":
            reason = LostReason.objects.filter(pk=request.POST.get("reason") or 0).first()
            if reason is None:
                raise InvalidInput(
                    "Choose why the opportunity was lost.", fields={"reason": ["Required."]}
                )
            services.opportunity_lose(
                opportunity=deal,
                actor=request.user,
                reason=reason,
                detail=request.POST.get("detail", "")[:300],
            )
        elif name == "reopen":
            services.opportunity_reopen(opportunity=deal, actor=request.user)
        else:
            raise InvalidInput("Unknown action.")
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Saved.")


# Forecast and funnel -----------------------------------------------------------------------


def _report_filters(request) -> dict:
    today = timezone.localdate()
    start = parse_date(request.GET.get("start", "") or "") or today.replace(month=1, day=1)
    end = parse_date(request.GET.get("end", "") or "") or today
    owner = request.GET.get("owner", "")
    branch = request.GET.get("branch", "")
    return {
        "start": start,
        "end": end,
        "owner": owner if owner.isdigit() else "",
        "branch": branch if branch.isdigit() else "",
    }


def _scoped(queryset, filters: dict):
    if filters["owner"]:
        queryset = queryset.filter(owner_id=filters["owner"])
    if filters["branch"]:
        queryset = queryset.filter(branch_id=filters["branch"])
    return queryset


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
@require_GET
def forecast(request):
    filters = _report_filters(request)
    deals = _scoped(selectors.opportunity_visible_to(request.user), filters)
    leads = _scoped(lead_visible_to(request.user), filters).filter(
        enquiry_date__gte=filters["start"], enquiry_date__lte=filters["end"]
    )
    pipeline = reports.weighted_pipeline(deals)
    if request.GET.get("format") == "csv":
        return _forecast_csv(pipeline)
    return render(
        request,
        "opportunities/forecast.html",
        {
            "filters": filters,
            "pipeline": pipeline,
            "outcomes": reports.outcomes(deals, start=filters["start"], end=filters["end"]),
            "funnel_channel": reports.funnel(leads, by="channel"),
            "funnel_source": reports.funnel(leads, by="source"),
            "owners": staff_users(),
            "branches": Branch.objects.all(),
            "query": urlencode({k: v for k, v in request.GET.items() if k != "format"}),
        },
    )


def _forecast_csv(pipeline: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="forecast.csv"'
    writer = csv.writer(response)
    writer.writerow(["group", "key", "deals", "amount", "weighted"])
    for group in ("by_month", "by_rep"):
        for key, bucket in pipeline[group].items():
            writer.writerow(
                [group.removeprefix("by_"), key, bucket.count, bucket.amount, bucket.weighted]
            )
    return response
