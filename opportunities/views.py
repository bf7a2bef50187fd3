"""Staff UI of opportunities: conversion of enquiries, the opportunity form, pipeline board,
list and detail.

Views stay thin: reads go through ``opportunities.selectors``, writes through
``opportunities.services``; a ``DomainError`` becomes a form error or a message.
"""

import csv
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed

from leads.selectors import conversion_values, lead_visible_to
from opportunities import charts, reports, selectors, services
from opportunities.filters import OpportunityFilter
from opportunities.forms import ConvertForm, OpportunityForm
from opportunities.models import OPEN_STAGES, LostReason, Opportunity, Stage, StageSetting
from opportunities.quotas import quota_visible_to
from sfa.catalog.forms import apply_line_errors, attach_products, kept_rows, line_formset
from sfa.catalog.selectors import product_visible_to
from sfa.core.exceptions import DomainError, InvalidInput
from sfa.core.forms import apply_domain_error, staff_users
from sfa.core.fsm import available_transitions, transition_history
from sfa.core.lists import filtered_list, list_page
from sfa.core.models import Branch
from sfa.customers.forms import customer_picker
from sfa.customers.selectors import (
    activities_regarding,
    documents_regarding,
    reminders_regarding,
    sales_record_visible_to,
)


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
        {"lead": lead, "form": form, "mapped": conversion_values(lead), **found},
        status=status,
    )


def opportunity_url(deal: Opportunity) -> str:
    return reverse("opportunities:detail", args=[deal.pk])


def opportunity_label(deal: Opportunity) -> str:
    return deal.title


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


# The opportunity form ----------------------------------------------------------------------
# Its htmx pieces: the customer picker is ``customers:pick``; product pickers, a new line and
# the live totals come from the enquiry form's ``leads:`` endpoints and partials.

# Opportunities have no reassignment permission of their own (yet); managers hold the enquiry one.
REASSIGN_PERMISSION = "leads.reassign_lead"


def can_reassign(user, deal: Opportunity | None = None) -> bool:
    """As for enquiries: the owner (of a new deal, its creator) or a manager."""
    return deal is None or deal.owner_id == user.pk or user.has_perm(REASSIGN_PERMISSION)


def _owners(user, deal: Opportunity | None):
    """Whom the owner field offers: all staff to those who may reassign, else the owner."""
    if can_reassign(user, deal):
        return staff_users().order_by("username")
    return staff_users().filter(pk=deal.owner_id)


def _form_context(request, form, formset, deal: Opportunity | None) -> dict:
    attach_products(product_visible_to(request.user), formset)
    picker = customer_picker(request.user, form["account"].value(), form["contact"].value())
    return {"form": form, "formset": formset, "deal": deal, "picker": picker}


def _save(request, form, formset, deal: Opportunity | None):
    """Call the service: ``(opportunity, 200)``, or ``(None, status)`` with the errors placed."""
    if not (form.is_valid() and formset.is_valid()):
        return None, 400
    rows = kept_rows(formset)
    data = dict(form.cleaned_data)
    lines = [row.line_data() for row in rows]
    try:
        if deal is None:
            saved = services.opportunity_create(actor=request.user, data=data, lines=lines)
        else:
            saved = services.opportunity_update(
                opportunity=deal, actor=request.user, data=data, lines=lines
            )
    except DomainError as error:
        apply_line_errors(form, rows, error)
        return None, error.status
    except ValidationError as error:  # the model's own checks, run by the service
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        apply_line_errors(form, rows, InvalidInput(" ".join(error.messages), fields=fields))
        return None, 400
    return saved, 200


def _saved_redirect(request, deal: Opportunity):
    messages.success(request, f"Opportunity “{deal.title}” saved.")
    if not selectors.opportunity_visible_to(request.user).filter(pk=deal.pk).exists():
        return redirect("opportunities:list")  # given to someone outside the user's view
    return redirect("opportunities:detail", pk=deal.pk)


@login_required
@permission_required("opportunities.add_opportunity", raise_exception=True)
def opportunity_create(request):
    initial = {"owner": request.user, "probability": services.stage_probability(Stage.PROSPECTING)}
    if request.GET.get("account", "").isdigit():
        initial["account"] = request.GET["account"]
    form = OpportunityForm(
        request.POST or None, user=request.user, owners=_owners(request.user, None), initial=initial
    )
    formset = line_formset(request)
    status = 200
    if request.method == "POST":
        saved, status = _save(request, form, formset, None)
        if saved is not None:
            return _saved_redirect(request, saved)
    context = _form_context(request, form, formset, None)
    return render(request, "opportunities/form.html", context, status=status)


@login_required
@permission_required("opportunities.change_opportunity", raise_exception=True)
def opportunity_edit(request, pk: int):
    deal = get_object_or_404(_visible(request), pk=pk)
    if not deal.is_open:
        messages.error(
            request,
            f"“{deal.title}” is {deal.get_state_display().lower()}: a closed opportunity "
            "cannot be changed.",
        )
        return redirect("opportunities:detail", pk=deal.pk)
    form = OpportunityForm(
        request.POST or None,
        user=request.user,
        owners=_owners(request.user, deal),
        instance=deal,
    )
    formset = line_formset(request, deal)
    status = 200
    if request.method == "POST":
        saved, status = _save(request, form, formset, deal)
        if saved is not None:
            return _saved_redirect(request, saved)
    context = _form_context(request, form, formset, deal)
    return render(request, "opportunities/form.html", context, status=status)


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
    form, deals = filtered_list(
        selectors.opportunity_list, OpportunityFilter, user=request.user, params=request.GET
    )
    page, query = list_page(request, deals, params=frozenset(OpportunityFilter.base_filters))
    context = {
        "filter_form": form,
        "page": page,
        "states": request.GET.getlist("state"),
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
            "can_edit": deal.is_open and request.user.has_perm("opportunities.change_opportunity"),
            # what was logged on the enquiry it came from moved here on conversion
            "activities": activities_regarding(user=request.user, record=deal),
            "reminders": reminders_regarding(user=request.user, record=deal),
            "documents": documents_regarding(user=request.user, record=deal),
            "quotes": _quotes_of(request, deal),
        },
    )


def _quotes_of(request, deal: Opportunity):
    """The deal's quotes the user sees, for the "Quotes" panel. The quotes app is downstream
    (not imported): it adds the relation, and the panel links its pages by URL name."""
    if not request.user.has_perm("quotes.view_quote") or not hasattr(deal, "quotes"):
        return None
    quotes = deal.quotes.select_related("owner").order_by("-issue_date", "-pk")
    return sales_record_visible_to(quotes, request.user)


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


def _date_param(request, name: str):
    try:
        return parse_date(request.GET.get(name, "") or "")
    except ValueError:  # well formed but no such day (2026-02-30)
        return None


def _report_filters(request) -> dict:
    today = timezone.localdate()
    start = _date_param(request, "start") or today.replace(month=1, day=1)
    end = _date_param(request, "end") or today
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


def _period_links(request) -> list[tuple[str, str]]:
    """Whole periods to pick with one click (quotas count for periods starting in the range),
    keeping the rep and branch chosen."""
    today = timezone.localdate()
    quarter = reports.quarter_of(today)
    periods = [
        ("This month", reports.month_of(today)),
        ("This quarter", quarter),
        ("Last quarter", reports.quarter_of(quarter[0] - timedelta(days=1))),
        ("This year", (today.replace(month=1, day=1), today.replace(month=12, day=31))),
    ]
    kept = {k: v for k, v in request.GET.items() if k in ("owner", "branch")}
    return [
        (label, urlencode({**kept, "start": start.isoformat(), "end": end.isoformat()}))
        for label, (start, end) in periods
    ]


def _attainment(request, deals, filters: dict) -> dict | None:
    """Quota, won amount and attainment per rep; None for those who may not see quotas."""
    if not request.user.has_perm("opportunities.view_quota"):
        return None
    quotas = quota_visible_to(request.user)
    if filters["owner"]:
        quotas = quotas.filter(owner_id=filters["owner"])
    if filters["branch"]:
        quotas = quotas.filter(owner__branch_id=filters["branch"])
    return reports.attainment(deals, quotas, start=filters["start"], end=filters["end"])


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
    attainment = _attainment(request, deals, filters)
    if request.GET.get("format") == "csv":
        return _forecast_csv(pipeline, attainment, filters)
    funnel_channel = reports.funnel(leads, by="channel")
    return render(
        request,
        "opportunities/forecast.html",
        {
            "filters": filters,
            "periods": _period_links(request),
            "pipeline": pipeline,
            "attainment": attainment,
            "outcomes": reports.outcomes(deals, start=filters["start"], end=filters["end"]),
            "funnel_channel": funnel_channel,
            "funnel_source": reports.funnel(leads, by="source"),
            "charts": {
                "pipeline": charts.pipeline_by_month(pipeline),
                "attainment": charts.attainment_by_rep(attainment) if attainment else None,
                "funnel": charts.funnel(reports.funnel_totals(funnel_channel)),
            },
            "owners": staff_users(),
            "branches": Branch.objects.all(),
            "query": urlencode({k: v for k, v in request.GET.items() if k != "format"}),
        },
    )


def _forecast_csv(pipeline: dict, attainment: dict | None, filters: dict) -> HttpResponse:
    """One table: pipeline rows by month and rep, then (for those who see quotas) attainment
    rows for the period, whose ``weighted`` is the open pipeline expected to close in it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"forecast-{filters['start']:%Y-%m-%d}-{filters['end']:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        ["group", "key", "deals", "amount", "weighted", "quota", "won", "attainment_percent"]
    )
    for group in ("by_month", "by_rep"):
        for key, bucket in pipeline[group].items():
            writer.writerow(
                [group.removeprefix("by_"), key, bucket.count, bucket.amount, bucket.weighted]
            )
    if attainment is not None:
        for row in [*attainment["rows"], attainment["total"]]:
            writer.writerow(
                ["attainment", row.rep, "", "", row.pipeline]
                + [_blank(row.quota), row.won, _blank(row.percent)]
            )
    return response


def _blank(value):
    return "" if value is None else value
