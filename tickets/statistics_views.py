"""The support statistics page (``/tickets/statistics/``) and its CSV export: for support
managers and administrators. The figures come from ``tickets.statistics``."""

import csv
import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sfa.core.access import Role
from sfa.core.forms import staff_users
from sfa.core.models import Team
from tickets import selectors, statistics, statistics_charts, support_metrics
from tickets.models import Ticket
from tickets.support_metrics import Filters, TicketFigures, can_view_statistics


def support_people():
    """Who tickets may be filtered by: support staff and anyone holding tickets."""
    support = Q(groups__name__in=[Role.SUPPORT_AGENT.value, Role.SUPPORT_MANAGER.value])
    holding = Q(pk__in=selectors.assignee_ids())
    return staff_users().filter(support | holding).distinct().order_by("first_name", "username")


class StatisticsFilterForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(Team.objects.all(), required=False, empty_label="all teams")
    agent = forms.ModelChoiceField(staff_users().none(), required=False, empty_label="all agents")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = support_people()

    def clean(self):
        data = super().clean()
        default = support_metrics.default_filters()
        start, end = data.get("start"), data.get("end")
        if not end:
            end = default.end if not start else max(start, default.end)
        if not start:
            start = end - datetime.timedelta(days=support_metrics.DEFAULT_DAYS - 1)
        if end < start:
            raise forms.ValidationError("The end is before the start.")
        if (end - start).days + 1 > support_metrics.MAX_DAYS:
            raise forms.ValidationError(f"Choose at most {support_metrics.MAX_DAYS} days.")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(data["start"], data["end"], data.get("team"), data.get("agent"))


def _period_links(request) -> list[tuple[str, str]]:
    """Periods to pick with one click, keeping the team and agent chosen."""
    today = timezone.localdate()
    month = today.replace(day=1)
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    periods = [
        ("Today", today, today),
        ("Last 7 days", today - datetime.timedelta(days=6), today),
        ("Last 30 days", today - datetime.timedelta(days=29), today),
        ("This month", month, today),
        ("Last month", last_month, month - datetime.timedelta(days=1)),
        ("This quarter", quarter, today),
        ("Last 90 days", today - datetime.timedelta(days=89), today),
        ("This year", today.replace(month=1, day=1), today),
    ]
    kept = {k: v for k, v in request.GET.items() if k in ("team", "agent")}
    return [
        (label, urlencode({**kept, "start": start.isoformat(), "end": end.isoformat()}))
        for label, start, end in periods
    ]


@login_required
@require_GET
def support_statistics(request):
    if not can_view_statistics(request.user):
        raise PermissionDenied
    form = StatisticsFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "periods": _period_links(request)}
        return render(request, "tickets/statistics.html", context, status=400)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        return statistics_csv(request.user, filters)
    stats = statistics.support_statistics(user=request.user, filters=filters)
    return render(
        request,
        "tickets/statistics.html",
        {
            "form": form,
            "filters": filters,
            "stats": stats,
            "charts": statistics_charts.charts_for(stats),
            "periods": _period_links(request),
            "query": urlencode({k: v for k, v in request.GET.items() if k != "format"}),
            "open_states": "&".join(f"state={state}" for state in Ticket.OPEN_STATES),
        },
    )


# CSV ------------------------------------------------------------------------------------------

CSV_HEADER = [
    "number", "subject", "state", "priority", "category", "team", "agent", "created",
    "first_response", "resolved", "first_response_business_minutes",
    "resolution_business_minutes", "paused_business_minutes", "sla_policy",
    "first_response_due", "resolution_due", "first_response_sla", "resolution_sla", "rating",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file that hands back what is written: csv.writer then yields rows as strings."""

    def write(self, value: str) -> str:
        return value


def _text(value) -> str:
    """Free text a spreadsheet must not run as a formula."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _moment(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _minutes(value: float | None):
    return "" if value is None else round(value, 1)


def _csv_row(figures: TicketFigures) -> list:
    ticket = figures.ticket
    return [
        ticket["number"],
        _text(ticket["subject"]),
        ticket["state"],
        ticket["priority"],
        _text(ticket["category__name"]),
        _text(ticket["team__name"]),
        _text(figures.agent),
        _moment(ticket["created_at"]),
        _moment(ticket["first_responded_at"]),
        _moment(ticket["resolved_at"]),
        _minutes(figures.first_response_minutes),
        _minutes(figures.resolution_minutes),
        _minutes(ticket["paused_minutes"] if ticket["sla_policy__name"] else None),
        _text(ticket["sla_policy__name"]),
        _moment(ticket["first_response_due"]),
        _moment(ticket["resolution_due"]),
        figures.first_response_sla,
        figures.resolution_sla,
        ticket["rating__score"] or "",
    ]


def statistics_csv(user, filters: Filters) -> StreamingHttpResponse:
    """One row per ticket something happened to in the period, streamed (UTF-8 with a byte
    order mark, so spreadsheets read the accents)."""
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_HEADER)
        for figures in support_metrics.ticket_figures(user=user, filters=filters):
            yield writer.writerow(_csv_row(figures))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = f"support-statistics-{filters.start:%Y-%m-%d}-{filters.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
