import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from sfa.core.api.filters import IdMultipleChoiceFilter
from sfa.core.models import Branch
from sfa.customers.custom_fields import filter_by_custom_fields
from sfa.customers.models import (
    Account,
    CustomerGroup,
    CustomerType,
    DeletionRequest,
    Reminder,
)
from sfa.customers.selectors import account_visible_to, reminders_due_q


class AccountFilter(django_filters.FilterSet):
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
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all())
    status = django_filters.ChoiceFilter(choices=Account.Status.choices)
    region = django_filters.CharFilter(lookup_expr="iexact")
    state = django_filters.CharFilter(lookup_expr="iexact")
    country = django_filters.CharFilter(lookup_expr="iexact")
    area = django_filters.CharFilter(lookup_expr="iexact")
    reminders_due = django_filters.BooleanFilter(
        method="filter_reminders_due", help_text="Has open reminders due today or earlier."
    )

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
        due = Exists(Reminder.objects.filter(reminders_due_q(), account=OuterRef("pk")))
        return queryset.filter(due) if value else queryset.exclude(due)

    @property
    def qs(self):
        return filter_by_custom_fields(super().qs, self.data)


def _visible_accounts(request):
    return account_visible_to(getattr(request, "user", None))


def account_child_filterset(model, fields: list[str]) -> type[django_filters.FilterSet]:
    """A FilterSet whose ``account`` only accepts customers the user may see.

    Another rep's customer id is then "not a valid choice", exactly like an id that does not
    exist, so a filter cannot be used to probe which customers exist.
    """
    meta = type("Meta", (), {"model": model, "fields": [f for f in fields if f != "account"]})
    attrs = {
        "Meta": meta,
        "account": django_filters.ModelChoiceFilter(queryset=_visible_accounts),
    }
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


class DeletionRequestFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=DeletionRequest.State.choices, help_text="One or more: ?state=a&state=b"
    )

    class Meta:
        model = DeletionRequest
        fields = ["state"]
