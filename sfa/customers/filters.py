"""The parameters of the customer and contact lists (the staff list, its exports and the API
alike; docs/api-filters.md) and of the API lists of what hangs off a customer.

This module and ``selectors`` refer to each other by module: a customer filter only offers
customers the user may see (``selectors.account_visible_to``), and the list selectors read
through these FilterSets.
"""

import django_filters
from django.db.models import Exists, OuterRef

from sfa.core.filters import IdMultipleChoiceFilter, ListFilterSet, ListOrdering, UserFilter
from sfa.core.models import Branch
from sfa.customers import selectors
from sfa.customers.custom_fields import filter_by_custom_fields
from sfa.customers.models import (
    Account,
    Contact,
    CustomerGroup,
    CustomerType,
    DeletionRequest,
    Reminder,
)


class AccountFilter(ListFilterSet):
    types = IdMultipleChoiceFilter(
        field_name="types", queryset=CustomerType.objects.all(), method="filter_types"
    )
    types_match = django_filters.ChoiceFilter(
        choices=[("any", "any"), ("all", "all")],
        method="filter_noop",
        help_text="With several types: customers with any (default) or all of them.",
    )
    group = django_filters.ModelChoiceFilter(queryset=CustomerGroup.objects.all())
    branch = django_filters.ModelChoiceFilter(queryset=Branch.objects.all())
    owner = UserFilter(empty_label="---------")
    status = django_filters.ChoiceFilter(choices=Account.Status.choices)
    region = django_filters.CharFilter(lookup_expr="iexact")
    state = django_filters.CharFilter(lookup_expr="iexact")
    country = django_filters.CharFilter(lookup_expr="iexact")
    area = django_filters.CharFilter(lookup_expr="iexact")
    reminders_due = django_filters.BooleanFilter(
        method="filter_reminders_due", help_text="Has open reminders due today or earlier."
    )
    ordering = ListOrdering(
        fields=("code", "name", "created_at", "updated_at", "city", "credit_limit")
    )

    default_ordering = ("name", "pk")

    class Meta:
        model = Account
        fields = ["code"]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_types(self, queryset, name, value):
        if not value:
            return queryset
        if self.data.get("types_match") == "all":
            for customer_type in value:
                queryset = queryset.filter(types=customer_type)
            return queryset
        through = Account.types.through.objects.filter(customertype__in=value)
        return queryset.filter(pk__in=through.values("account_id"))

    def filter_reminders_due(self, queryset, name, value):
        due = Exists(Reminder.objects.filter(selectors.reminders_due_q(), account=OuterRef("pk")))
        return queryset.filter(due) if value else queryset.exclude(due)

    @property
    def qs(self):
        return filter_by_custom_fields(super().qs, self.data)


def _visible_accounts(request):
    return selectors.account_visible_to(getattr(request, "user", None))


class VisibleAccountFilter(django_filters.ModelChoiceFilter):
    """Only customers the user may see: another rep's customer id is then "not a valid
    choice", exactly like an id that does not exist, so a filter cannot be used to probe
    which customers exist. The user: the FilterSet's ``user``, else the request's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=_visible_accounts, **kwargs)

    def get_queryset(self, request):
        user = getattr(self.parent, "user", None)
        if user is not None:
            return selectors.account_visible_to(user)
        return super().get_queryset(request)


class ContactFilter(ListFilterSet):
    account = VisibleAccountFilter()
    ordering = ListOrdering(fields=("last_name", "first_name", "email", "created_at"))

    default_ordering = ("last_name", "first_name", "pk")

    class Meta:
        model = Contact
        fields = ["account", "is_primary", "email_consent", "has_portal_access", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


def account_child_filterset(model, fields: list[str]) -> type[django_filters.FilterSet]:
    """A FilterSet of the API list of records that hang off a customer (addresses,
    reminders…), whose ``account`` only accepts customers the user may see."""
    meta = type("Meta", (), {"model": model, "fields": [f for f in fields if f != "account"]})
    attrs = {"Meta": meta, "account": VisibleAccountFilter()}
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


class DeletionRequestFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=DeletionRequest.State.choices, help_text="One or more: ?state=a&state=b"
    )

    class Meta:
        model = DeletionRequest
        fields = ["state"]
