"""The enquiry list's parameters, the same for the staff list and the API
(docs/api-filters.md)."""

import django_filters
from django import forms

from leads.models import Lead
from sfa.core.filters import DATE, AnyOrOneSelect, ListFilterSet, ListOrdering, UserFilter


class LeadFilter(ListFilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=Lead.State.choices, widget=forms.CheckboxSelectMultiple
    )
    channel = django_filters.MultipleChoiceFilter(
        choices=Lead.Channel.choices, widget=AnyOrOneSelect
    )
    source = django_filters.MultipleChoiceFilter(choices=Lead.Source.choices, widget=AnyOrOneSelect)
    owner = UserFilter()
    enquiry_date_from = django_filters.DateFilter(
        field_name="enquiry_date",
        lookup_expr="gte",
        widget=DATE,
        label="From",
        help_text="Enquiry date on or after (YYYY-MM-DD).",
    )
    enquiry_date_to = django_filters.DateFilter(
        field_name="enquiry_date",
        lookup_expr="lte",
        widget=DATE,
        label="To",
        help_text="Enquiry date on or before (YYYY-MM-DD).",
    )
    product = django_filters.NumberFilter(field_name="lines__product", distinct=True)
    ordering = ListOrdering(
        fields=("enquiry_date", "number", "total", "created_at", "quote_due_date")
    )

    default_ordering = ("-enquiry_date", "-pk")

    class Meta:
        model = Lead
        fields = ["account", "branch"]
