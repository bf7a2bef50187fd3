"""One FilterSet per list model, so a list reads the same way wherever it is shown.

An app's ``filters.py`` declares its lists' FilterSets on :class:`ListFilterSet`; its
``selectors.<model>_list(*, user, filters)`` starts from ``visible_to(user)`` and reads
through :func:`filtered_rows`. The staff list, the API list and the exports call that
selector, so they take the same parameters (docs/api-filters.md): the filters, ``search``
(the model's word search) and ``ordering`` (``-total,number``).
"""

from collections.abc import Callable

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters.fields import ModelChoiceField, ModelMultipleChoiceField
from django_filters.filters import QuerySetRequestMixin

from sfa.core.choices import CachedChoiceIterator
from sfa.core.exceptions import InvalidInput
from sfa.core.forms import staff_users

BIGINT_RANGE = range(-(2**63), 2**63)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEARCH_HELP = "Words to find (every word must match)."

SearchFunction = Callable[[QuerySet, str], QuerySet]


class ListOrdering(django_filters.OrderingFilter):
    """``?ordering=-total,number``; ties fall back to the list's default order, so pages
    never overlap."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "Sort by these fields, comma-separated; -field: descending.")
        kwargs.setdefault("label", "Sort")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        named = {field.lstrip("-") for field in ordering}
        tie_breakers = [f for f in self.parent.default_ordering if f.lstrip("-") not in named]
        return qs.order_by(*ordering, *tie_breakers)


class ListFilterSet(django_filters.FilterSet):
    """A list's filters plus ``search`` and ``ordering`` (declared by each list, with its
    fields). ``search`` is the model's word search, handed in by its selector; the filters
    apply first, the order last. ``default_ordering``: the order without ``?ordering=``."""

    search = django_filters.CharFilter(
        method="filter_search", label="Search", help_text=SEARCH_HELP
    )

    default_ordering: tuple[str, ...] = ("pk",)

    def __init__(self, data=None, queryset=None, *, search: SearchFunction | None = None, **kw):
        super().__init__(data, queryset, **kw)
        self.search_function = search

    def get_form_class(self):
        # django-filter builds the form class (every filter's form field) on each request. The
        # fields are the same every time except those whose choices depend on the user, so
        # the form class of the rest is built once per FilterSet, like a Django form's; its
        # pickers read their choices from the cache (``sfa.core.choices``).
        cls = type(self)
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            shared = {name: f.field for name, f in self.filters.items() if not _per_user(f)}
            for field in shared.values():
                if isinstance(field, forms.ModelChoiceField) and not issubclass(
                    field.iterator, CachedChoiceIterator
                ):
                    field.iterator = CachedChoiceIterator
            form_class = type(f"{cls.__name__}Form", (self._meta.form,), shared)
            cls._shared_form_class = form_class
        own = {name: f.field for name, f in self.filters.items() if _per_user(f)}
        if not own:
            return form_class
        attrs = {**own, "field_order": list(self.filters)}
        return type(f"{cls.__name__}Form", (form_class,), attrs)

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text or self.search_function is None:
            return queryset
        return self.search_function(queryset, text)

    def filter_queryset(self, queryset):
        if self.default_ordering:
            queryset = queryset.order_by(*self.default_ordering)
        data = self.form.cleaned_data
        for name, value in data.items():
            if not isinstance(self.filters[name], django_filters.OrderingFilter):
                queryset = self.filters[name].filter(queryset, value)
        for name, value in data.items():
            if isinstance(self.filters[name], django_filters.OrderingFilter):
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def _per_user(filter_: django_filters.Filter) -> bool:
    """Whether the filter's choices are computed for the request's user."""
    if not isinstance(filter_, QuerySetRequestMixin):
        return False
    own_queryset = type(filter_).get_queryset is not QuerySetRequestMixin.get_queryset
    return own_queryset or callable(filter_.queryset)


def filtered_rows(filterset: ListFilterSet) -> QuerySet:
    """The rows of a bound list FilterSet; ``InvalidInput`` (400) names every bad parameter."""
    if not filterset.is_valid():
        fields = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        names = ", ".join(sorted(fields))
        raise InvalidInput(f"Invalid filter: {names}.", fields=fields)
    return filterset.qs


# Filters and widgets the lists share ----------------------------------------------------------


class StaffListed(CachedChoiceIterator):
    """Offers the active staff only; the field still takes any user's id."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = staff_users()


class UserChoiceField(ModelChoiceField):
    iterator = StaffListed


class UserFilter(django_filters.ModelChoiceFilter):
    """A person on the record (owner, assignee): any user is valid, since a rep who left still
    owns records; the staff form lists the active staff."""

    field_class = UserChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.all())
        kwargs.setdefault("empty_label", "anyone")
        super().__init__(*args, **kwargs)


class AnyOrOneSelect(forms.Select):
    """One value or "any" in the staff form, for a filter that takes several values: the API
    may send ``?channel=a&channel=b``."""

    def __init__(self, attrs=None, any_label: str = "any"):
        super().__init__(attrs)
        self.any_label = any_label

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        self.choices = [("", self.any_label), *choices]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        return [v for v in ([values] if isinstance(values, str) else values) if v != ""]


class Checkbox(forms.CheckboxInput):
    """A staff form's checkbox (``on``) that also reads the API's ``true``/``false``/``1``/``0``."""

    WORDS = {"on": True, "true": True, "1": True, "yes": True, "false": False, "0": False}

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str):
            return self.WORDS.get(value.lower(), None if value == "" else value)
        return value


class IdMultipleChoiceField(ModelMultipleChoiceField):
    """Several ids; one beyond the database's integer range is just an unknown choice.

    Django's ``pk__in`` passes such a value to the database, where SQLite overflows.
    """

    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else ():
            try:
                number = int(item)
            except (TypeError, ValueError):
                continue  # Django refuses it as an invalid pk
            if number not in BIGINT_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdMultipleChoiceField
