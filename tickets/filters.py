"""The ticket list's parameters, the same for the staff list and the API
(docs/api-filters.md)."""

import django_filters
from django import forms

from sfa.core.filters import Checkbox, ListFilterSet, ListOrdering, UserFilter
from sfa.core.models import Team
from tickets.models import Ticket


class TicketFilter(ListFilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=Ticket.State.choices, widget=forms.CheckboxSelectMultiple
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=Ticket.Priority.choices, widget=forms.CheckboxSelectMultiple
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="any")
    assignee = UserFilter()
    unassigned = django_filters.BooleanFilter(
        method="filter_unassigned",
        widget=Checkbox,
        label="Unassigned only",
        help_text="Only tickets nobody is assigned to.",
    )
    created_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        help_text="Opened on or after (YYYY-MM-DD).",
    )
    created_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        help_text="Opened on or before (YYYY-MM-DD).",
    )
    ordering = ListOrdering(
        fields=("created_at", "number", "priority", "first_response_due", "resolution_due")
    )

    default_ordering = ("-created_at", "-pk")

    class Meta:
        model = Ticket
        fields = ["account", "contact", "category", "channel", "kind"]

    def filter_unassigned(self, queryset, name, value):
        return queryset.filter(assignee__isnull=True) if value else queryset
