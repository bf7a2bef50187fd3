"""The quote list's parameters, the same for the staff list and the API
(docs/api-filters.md)."""

import django_filters
from django import forms

from quotes.models import Quote
from sfa.core.filters import DATE, ListFilterSet, ListOrdering, UserFilter


class QuoteFilter(ListFilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=Quote.State.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = UserFilter()
    issue_date_from = django_filters.DateFilter(
        field_name="issue_date",
        lookup_expr="gte",
        widget=DATE,
        label="From",
        help_text="Quote date on or after (YYYY-MM-DD).",
    )
    issue_date_to = django_filters.DateFilter(
        field_name="issue_date",
        lookup_expr="lte",
        widget=DATE,
        label="To",
        help_text="Quote date on or before (YYYY-MM-DD).",
    )
    product = django_filters.NumberFilter(field_name="lines__product", distinct=True)
    ordering = ListOrdering(fields=("issue_date", "number", "total", "valid_until", "created_at"))

    default_ordering = ("-issue_date", "-pk")

    class Meta:
        model = Quote
        fields = ["account", "opportunity", "number"]
