"""Staff list pages: one page of a filtered queryset, answered whole or — when htmx asks for
the results block only (search as you type) — as that block."""

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page
from django.db.models import QuerySet
from django.shortcuts import render

from sfa.core.exceptions import InvalidInput
from sfa.core.pagination import CappedPaginator

PER_PAGE = 25


def filtered_list(
    selector: Callable[..., QuerySet], filterset_class, *, user, params
) -> tuple[forms.Form, QuerySet]:
    """The list's filter form and its rows from the model's ``<model>_list`` selector (the
    API's read path): no rows while a filter is invalid, and the form shows why."""
    try:
        rows = selector(user=user, filters=params)
    except InvalidInput:
        rows = selector(user=user, filters={}).none()
    return filterset_class(params).form, rows


def list_page(request, queryset, *, params, per_page: int = PER_PAGE) -> tuple[Page, str]:
    """The requested page and the query string of the list's own ``params`` (for page links)."""
    page = CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))
    query = {key: values for key, values in request.GET.lists() if key in params}
    return page, urlencode(query, doseq=True)


def render_list(request, *, template: str, results_template: str, results_id: str, context):
    """The whole page, or only the results block when htmx targets ``#<results_id>``."""
    if request.htmx and request.htmx.target == results_id:
        return render(request, results_template, context)
    return render(request, template, context)
