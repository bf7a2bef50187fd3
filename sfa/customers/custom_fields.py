"""User-definable customer fields: which apply, how values are checked, how they filter."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q, QuerySet

from sfa.core.exceptions import InvalidInput
from sfa.customers.models import CustomFieldDefinition

FieldType = CustomFieldDefinition.FieldType
TRUE_WORDS = {"1", "true", "yes", "y", "on"}
FALSE_WORDS = {"0", "false", "no", "n", "off"}
MAX_TEXT = 1000
# Numbers are stored in JSON and compared as such; beyond this they lose meaning (and a huge
# integer cannot even be written out: Python limits int-to-text conversion to 4300 digits).
MAX_NUMBER_DIGITS = 15


def definitions_for(industry_id: int | None) -> list[CustomFieldDefinition]:
    """The active definitions that apply to a customer of this industry."""
    applies = Q(industries__isnull=True)
    if industry_id:
        applies |= Q(industries=industry_id)
    return list(
        CustomFieldDefinition.objects.filter(applies, is_active=True)
        .distinct()
        .order_by("position", "label")
    )


def coerce_value(definition: CustomFieldDefinition, raw):
    """The stored (JSON) form of one value; raises ValueError with a user-facing message."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    kind = definition.field_type
    if kind == FieldType.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(f"Ensure this value has at most {MAX_TEXT} characters.")
        if "\x00" in text:
            raise ValueError("Null characters are not allowed.")  # PostgreSQL refuses them
        return text
    if kind == FieldType.NUMBER:
        return _coerce_number(raw)
    if kind == FieldType.DATE:
        return _coerce_date(raw)
    if kind == FieldType.CHOICE:
        value = str(raw).strip()
        if value not in definition.choices:
            allowed = ", ".join(str(c) for c in definition.choices)
            raise ValueError(f"Select one of: {allowed}.")
        return value
    return _coerce_boolean(raw)


def _coerce_number(raw):
    if isinstance(raw, bool):
        raise ValueError("Enter a number.")
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValueError("Enter a number.") from exc
    if not number.is_finite():
        raise ValueError("Enter a number.")
    if number and number.adjusted() >= MAX_NUMBER_DIGITS:
        raise ValueError(
            f"Ensure that there are no more than {MAX_NUMBER_DIGITS} digits before the "
            "decimal point."
        )
    return int(number) if number == number.to_integral_value() else float(number)


def _coerce_date(raw) -> str:
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    try:
        return datetime.date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError as exc:
        raise ValueError("Enter a valid date (YYYY-MM-DD).") from exc


def _coerce_boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("Enter yes or no.")


def clean_custom_fields(
    values, *, industry_id: int | None, definitions: list[CustomFieldDefinition] | None = None
) -> dict:
    """Validate and normalise a whole ``custom_fields`` mapping.

    ``definitions``: those of ``definitions_for(industry_id)`` when the caller read them
    already (a bulk import reads them once per industry, not once per customer).
    Raises ``InvalidInput`` with ``fields={"custom_fields": {key: [message]}}``, naming every
    bad field.
    """
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise InvalidInput(
            fields={"custom_fields": ["Expected an object of field keys to values."]}
        )
    if definitions is None:
        definitions = definitions_for(industry_id)
    by_key = {d.key: d for d in definitions}
    cleaned, errors = _coerce_values(values, by_key)
    for key, definition in by_key.items():
        if definition.is_required and key not in cleaned and key not in errors:
            errors[key] = ["This field is required."]
    if errors:
        raise InvalidInput(fields={"custom_fields": errors})
    return cleaned


def _coerce_values(values: dict, by_key: dict) -> tuple[dict, dict[str, list[str]]]:
    """The stored form of each value (blank ones left out) and the errors, by key."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for key, raw in values.items():
        definition = by_key.get(key)
        if definition is None:
            errors[str(key)] = ["Unknown field for this customer."]
            continue
        try:
            value = coerce_value(definition, raw)
        except ValueError as exc:
            errors[key] = [str(exc)]
            continue
        if value is not None:
            cleaned[key] = value
    return cleaned, errors


def filter_by_custom_fields(queryset: QuerySet, params) -> QuerySet:
    """Apply ``cf_<key>=value`` (text: contains, others: equal) and ``cf_<key>_min`` /
    ``_max`` (numbers, dates).

    Unknown keys are ignored; a value that does not fit its field matches nothing.
    """
    wanted = {k for k in params if k.startswith("cf_")}
    if not wanted:
        return queryset
    for definition in CustomFieldDefinition.objects.filter(is_active=True):
        base = f"cf_{definition.key}"
        for suffix, lookup in (("", ""), ("_min", "__gte"), ("_max", "__lte")):
            name = base + suffix
            if name not in wanted or params.get(name) in (None, ""):
                continue
            if suffix and definition.field_type not in (FieldType.NUMBER, FieldType.DATE):
                continue
            try:
                value = coerce_value(definition, params.get(name))
            except ValueError:
                return queryset.none()
            if definition.field_type == FieldType.TEXT and not suffix:
                lookup = "__icontains"
            queryset = queryset.filter(**{f"custom_fields__{definition.key}{lookup}": value})
    return queryset
