"""Forecast and funnel: the weighted pipeline, quota attainment, outcomes and the enquiry
funnel for a period, rep and branch, as tables, charts and CSV (``opportunities.reports``).
"""

import csv
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from leads.selectors import lead_visible_to
from opportunities import charts, reports, selectors
from opportunities.quotas import quota_visible_to
from sfa.core.forms import staff_users
from sfa.core.models import Branch


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


def _visible_quotas(request, filters: dict):
    """The quotas of the rep and branch chosen; None for those who may not see quotas."""
    if not request.user.has_perm("opportunities.view_quota"):
        return None
    quotas = quota_visible_to(request.user)
    if filters["owner"]:
        quotas = quotas.filter(owner_id=filters["owner"])
    if filters["branch"]:
        quotas = quotas.filter(owner__branch_id=filters["branch"])
    return quotas


@login_required
@permission_required("opportunities.view_opportunity", raise_exception=True)
@require_GET
def forecast(request):
    filters = _report_filters(request)
    deals = _scoped(selectors.opportunity_visible_to(request.user), filters)
    figures = reports.forecast(
        deals, quotas=_visible_quotas(request, filters), start=filters["start"], end=filters["end"]
    )
    pipeline, attainment = figures.pipeline, figures.attainment
    if request.GET.get("format") == "csv":
        return _forecast_csv(pipeline, attainment, filters)
    leads = _scoped(lead_visible_to(request.user), filters).filter(
        enquiry_date__gte=filters["start"], enquiry_date__lte=filters["end"]
    )
    funnels = reports.funnels(leads)
    return render(
        request,
        "opportunities/forecast.html",
        {
            "filters": filters,
            "periods": _period_links(request),
            "pipeline": pipeline,
            "attainment": attainment,
            "outcomes": figures.outcomes,
            "funnel_channel": funnels["channel"],
            "funnel_source": funnels["source"],
            "charts": {
                "pipeline": charts.pipeline_by_month(pipeline),
                "attainment": charts.attainment_by_rep(attainment) if attainment else None,
                "funnel": charts.funnel(reports.funnel_totals(funnels["channel"])),
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
