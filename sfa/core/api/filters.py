import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelMultipleChoiceField
from rest_framework.filters import SearchFilter

BIGINT_RANGE = range(-(2**63), 2**63)


class SelectorSearchFilter(SearchFilter):
    """``?search=`` through the view's ``search_queryset(queryset, text)`` (a selector)."""

    def filter_queryset(self, request, queryset, view):
        search = getattr(view, "search_queryset", None)
        if search is None:
            return super().filter_queryset(request, queryset, view)
        text = request.query_params.get(self.search_param, "").strip()
        return search(queryset, text) if text else queryset

    def get_schema_operation_parameters(self, view):
        if getattr(view, "search_queryset", None) is None and not getattr(
            view, "search_fields", None
        ):
            return []
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": "Words to find (every word must match).",
                "schema": {"type": "string"},
            }
        ]


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
