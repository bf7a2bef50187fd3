"""Staff list pages: one page of a filtered queryset, answered whole or — when htmx asks for
the results block only (search as you type) — as that block."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.shortcuts import render

PER_PAGE = 25


def list_page(request, queryset, *, params, per_page: int = PER_PAGE) -> tuple[Page, str]:
    """The requested page and the query string of the list's own ``params`` (for page links)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = {key: values for key, values in request.GET.lists() if key in params}
    return page, urlencode(query, doseq=True)


def render_list(request, *, template: str, results_template: str, results_id: str, context):
    """The whole page, or only the results block when htmx targets ``#<results_id>``."""
    if request.htmx and request.htmx.target == results_id:
        return render(request, results_template, context)
    return render(request, template, context)
