"""The opportunity list's parameters, the same for the staff list and the API
(docs/api-filters.md)."""

import django_filters

from opportunities.models import Opportunity, Quota, Stage
from sfa.core.filters import ListFilterSet, ListOrdering, UserFilter


class OpportunityFilter(ListFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    owner = UserFilter()
    close_from = django_filters.DateFilter(
        field_name="expected_close_date",
        lookup_expr="gte",
        help_text="Expected to close on or after (YYYY-MM-DD).",
    )
    close_to = django_filters.DateFilter(
        field_name="expected_close_date",
        lookup_expr="lte",
        help_text="Expected to close on or before (YYYY-MM-DD).",
    )
    ordering = ListOrdering(
        fields=("expected_close_date", "amount", "probability", "created_at", "stage_changed_at")
    )

    default_ordering = ("expected_close_date", "pk")

    class Meta:
        model = Opportunity
        fields = ["account", "branch"]


class QuotaFilter(django_filters.FilterSet):
    """``period_from``/``period_to``: quotas whose period overlaps the range."""

    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = Quota
        fields = ["owner"]
