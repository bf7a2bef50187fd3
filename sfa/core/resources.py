"""django-import-export resources whose rows the app's services write.

import-export reads each row through the resource's fields and widgets (a widget's
``ValueError`` becomes an error on that field), finds the record the row is about, and
reports per row; the rows are written by the same services as the UI and the API, so an
import validates, numbers and records history the way a form does. Subclasses say how a row
finds its record (``get_instance``) and how it is written (``write``).

Rules every resource shares: a blank cell leaves the field as it is (and a new record gets
the default); a row with errors is rolled back alone (its savepoint), so the preview of the
rows after it is as the commit would be; ``sfa.core.importing`` keeps nothing of an import
with any error row. A resource with ``use_bulk`` in its ``Meta`` has no savepoint per row:
its ``write`` checks a new record without writing it and hands it to a batch writer (the
records of a dry run, or of an import that already has an error row, are only checked),
and each of its other writes is a service that rolls itself back when it refuses
(``transaction.atomic``).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.encoding import force_str
from import_export import resources, widgets

from sfa.core.exceptions import DomainError

TRUE = {"1", "yes", "y", "true", "x", "ja", "oui"}


def row_errors(exc: DomainError) -> ValidationError:
    """A service's refusal as the row's errors, named by field (nested ones flattened)."""
    errors = {
        name: (
            msgs if isinstance(msgs, list) else [f"{k}: {', '.join(v)}" for k, v in msgs.items()]
        )
        for name, msgs in exc.fields.items()
    }
    return ValidationError(errors or {"row": [exc.detail]})


class ServiceResource(resources.ModelResource):
    """A ``ModelResource`` for imports that the app's services write.

    ``key_columns``: the first of these cells that is filled names the row in the preview.
    """

    key_columns: tuple[str, ...] = ("code", "email")

    class Meta:
        import_id_fields = []  # ``get_instance`` finds the record
        skip_diff = True
        use_transactions = True
        chunk_size = 1000

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.seen: set = set()
        self.changes: dict = {}
        self.dry_run = True  # until the first row says otherwise
        self.has_failed_rows = False
        self._export_fields = None
        self._row_fields = None

    # How a row finds its record and is written: the subclass says.

    def get_instance(self, instance_loader, row):
        raise NotImplementedError

    def write(self, instance, *, is_create: bool, changes: dict) -> None:
        """Save ``instance`` with ``changes`` (field → value) through the app's service."""
        raise NotImplementedError

    # The import-export hooks, wired to the two above.

    def before_import_row(self, row, **kwargs):
        self.changes = {}
        self.dry_run = self._is_dry_run(kwargs)
        if self._row_fields is None:  # every row has the file's columns
            self._row_fields = [
                field
                for field in self.get_import_fields()
                if field.column_name in row
                and not isinstance(field.widget, widgets.ManyToManyWidget)  # as import-export
            ]

    def import_instance(self, instance, row, **kwargs):
        """import-export's, over the fields whose columns the file has, worked out once per
        import rather than once per row (a missing column changes nothing anyway)."""
        errors = {}
        for field in self._row_fields:
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as exc:
                errors[field.attribute] = ValidationError(force_str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def keeps_writes(self) -> bool:
        """Whether what this row writes can be kept: not in a dry run, nor once a row has
        failed (then the whole import is rolled back)."""
        return not self.dry_run and not self.has_failed_rows

    def preload_lookups(self, dataset) -> None:
        """Look up each lookup column's values for the whole file (``LookupWidget.preload``)."""
        for field in self.get_import_fields():
            if isinstance(field.widget, LookupWidget) and field.column_name in dataset.headers:
                field.widget.preload(dataset.get_col(dataset.headers.index(field.column_name)))

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """Collect the row's value for ``write`` instead of setting it on the instance."""
        if field.readonly or not field.attribute or row.get(field.column_name) in (None, ""):
            return
        value = field.clean(row, **kwargs)
        key = getattr(field, "key", None)  # one entry of a JSON field, e.g. custom_fields
        if key is None:
            self.changes[field.attribute] = value
        else:
            self.changes.setdefault(field.attribute, {})[key] = value

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            self.write(instance, is_create=is_create, changes=self.changes)
        except DomainError as exc:
            raise row_errors(exc) from exc

    def save_m2m(self, instance, row, **kwargs):
        """Many-to-many values are in ``changes``: ``write`` hands them to the service."""

    def import_row(self, row, instance_loader, **kwargs):
        outcome = super().import_row(row, instance_loader, **kwargs)
        if not outcome.is_valid():
            self.has_failed_rows = True
            if kwargs.get("using_transactions") and not self._meta.use_bulk:
                # import-export runs each row in its own savepoint: undo what this row wrote.
                transaction.set_rollback(True, using=self.get_db_connection_name())
        return outcome

    def export_resource(self, instance, selected_fields=None, **kwargs):
        """A row of the export through the fields' widgets (no ``dehydrate_<field>``
        methods), the columns worked out once per resource rather than once per row."""
        if self._export_fields is None:
            self._export_fields = self.get_export_fields(selected_fields)
        return [field.export(instance, **kwargs) for field in self._export_fields]

    def after_import(self, dataset, result, **kwargs):
        """No sequence reset: the database gives the ids (import-export would reset the
        table's sequence after creating rows, which races with other writers)."""


def records_by_lower(queryset, field: str, values) -> dict:
    """The rows of ``queryset`` whose ``field`` is one of ``values`` ignoring case, keyed by
    the lower-cased value (the first by pk where several match); read 1,000 values a query,
    so a resource looks up a whole file's keys in a few queries."""
    wanted = sorted({str(value).lower() for value in values if value})
    found: dict = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = queryset.annotate(_key=Lower(field)).filter(_key__in=chunk).order_by("-pk")
        found.update({row._key: row for row in rows})
    return found


def refuse(column: str, message: str) -> ValidationError:
    """The row's error on one column, e.g. ``raise refuse("code", "Appears twice…")``."""
    return ValidationError({column: [message]})


# Widgets -------------------------------------------------------------------------------------


class DecimalWidget(widgets.Widget):
    """``1500.50``, ``1500,50`` or ``1 500,50``; written back as ``1500.50``."""

    def clean(self, value, row=None, **kwargs):
        text = str(value).replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("Enter a number.") from None
        if not number.is_finite():
            raise ValueError("Enter a number.")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    """Yes words (``yes``, ``x``, ``1``, ``ja``…) are true, anything else false."""

    def clean(self, value, row=None, **kwargs):
        return str(value).strip().lower() in TRUE

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class LowerWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value).lower()


class LookupWidget(widgets.Widget):
    """A related record by one of its fields, ignoring case (``group`` by its code).

    Each value is looked up once per import; an unknown one is an error on the column."""

    def __init__(self, model, field: str, label: str):
        super().__init__()
        self.model, self.field, self.label = model, field, label
        self._found: dict = {}

    def find(self, value: str):
        key = value.lower()
        if key not in self._found:
            lookup = {f"{self.field}__iexact": value}
            self._found[key] = self.model.objects.filter(**lookup).order_by("pk").first()
        return self._found[key]

    def values_of(self, cell) -> list[str]:
        return [str(cell)] if cell else []

    def preload(self, cells) -> None:
        """Look up every value of a column at once (a query per 1,000 distinct values),
        so that ``find`` asks nothing more; a value not found is unknown."""
        keys = {value.lower() for cell in cells for value in self.values_of(cell)}
        keys -= set(self._found)
        found = records_by_lower(self.model.objects.all(), self.field, keys)
        for key in keys:
            self._found[key] = found.get(key)

    def clean(self, value, row=None, **kwargs):
        found = self.find(str(value))
        if found is None:
            raise ValueError(f"Unknown {self.label} “{value}”.")
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class LookupListWidget(LookupWidget):
    """Several related records in one cell, ``|``-separated (``Dealer | OEM``)."""

    separator = "|"

    def values_of(self, cell) -> list[str]:
        return [name.strip() for name in str(cell).split(self.separator) if name.strip()]

    def clean(self, value, row=None, **kwargs):
        return [super(LookupListWidget, self).clean(name) for name in self.values_of(value)]

    def render(self, value, obj=None, **kwargs):
        records = value.all() if hasattr(value, "all") else value or []
        return self.separator.join(str(getattr(r, self.field)) for r in records)
