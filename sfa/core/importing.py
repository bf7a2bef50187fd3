"""CSV / XLSX import and export on django-import-export.

An app describes each imported model by a resource (``sfa.core.resources.ServiceResource``,
an import-export ``ModelResource`` whose rows its services write) and registers it under a
kind (``register_importer``) in ``AppConfig.ready()``. This module reads the files into a
``tablib.Dataset`` (header aliases, trimmed cells, blank lines skipped) and runs the resource:
a dry run does the whole import inside a transaction and rolls it back, so the preview shows
exactly what a commit would do (per row "create", "update" or the errors that stop it, named
by column); a commit with any error row keeps nothing. The same formats write exports.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

import tablib
from import_export.formats import base_formats
from openpyxl import Workbook, load_workbook

from sfa.core.exceptions import ActionForbidden

MAX_ROWS = 5000
ALIASES = {
    "customer_code": "code", "customer_no": "code", "customer_number": "code",
    "company": "name", "customer": "name", "e-mail": "email", "mail": "email",
    "zip": "postal_code", "postcode": "postal_code", "zip_code": "postal_code",
    "telephone": "phone", "tel": "phone", "address": "street", "firstname": "first_name",
    "given_name": "first_name", "lastname": "last_name", "surname": "last_name",
    "family_name": "last_name", "account": "account_code", "price": "unit_price",
    "product_code": "code", "tax": "tax_rate", "vat": "tax_rate",
}  # fmt: skip


class ImportFileError(Exception):
    """The file itself cannot be read (format, encoding, no header)."""


# Files ---------------------------------------------------------------------------------------


def _header(name) -> str:
    key = str(name or "").strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def _cell_text(value) -> str:
    """A workbook cell as the text a CSV would hold; dates in ISO form (``2026-01-31``)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _dataset(table: list[list]) -> tablib.Dataset:
    """The table's first row names the columns (aliases applied); the others are rows of
    trimmed text, short ones filled blank; blank lines and unnamed columns are left out."""
    table = [[_cell_text(cell).strip() for cell in row] for row in table]
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise ImportFileError("The file needs a header row and at least one data row.")
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"At most {MAX_ROWS} rows per import.")
    header = [_header(name) for name in table[0]]
    named = [i for i, name in enumerate(header) if name]
    dataset = tablib.Dataset(headers=[header[i] for i in named])
    for row in table[1:]:
        dataset.append([row[i] if i < len(row) else "" for i in named])
    return dataset


class CSV(base_formats.CSV):
    """CSV as spreadsheets write it: UTF-8 (with or without BOM) or Latin-1; comma, semicolon
    or tab. Exports are UTF-8 with a BOM, so Excel shows umlauts right."""

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        text = in_stream if isinstance(in_stream, str) else _decode(in_stream)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return _dataset(list(csv.reader(io.StringIO(text), dialect)))

    def export_data(self, dataset, **kwargs) -> bytes:
        return super().export_data(dataset, **kwargs).encode("utf-8-sig")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class XLSX(base_formats.XLSX):
    """The first sheet of a workbook; numbers and dates are read as the text a CSV holds.
    Exports are written row by row (openpyxl's write-only mode), so 50,000 rows stay small
    in memory (tablib builds the whole sheet and measures every column first)."""

    def export_data(self, dataset, **kwargs) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(dataset.title or "Sheet1")
        sheet.append(dataset.headers)
        for row in dataset:
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def create_dataset(self, in_stream) -> tablib.Dataset:
        try:
            sheet = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True).active
            table = list(sheet.iter_rows(values_only=True))
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same to users
            raise ImportFileError("The file is not a readable XLSX workbook.") from exc
        return _dataset(table)


FORMATS = {"csv": CSV(), "txt": CSV(), "xlsx": XLSX()}


def read_dataset(name: str, data: bytes) -> tablib.Dataset:
    """The rows of an uploaded ``.csv`` (or ``.txt``) or ``.xlsx`` file."""
    file_format = FORMATS.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if file_format is None:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    return file_format.create_dataset(data)


def export_file(resource, queryset, fmt: str, *, title: str) -> tuple[bytes, str]:
    """``queryset`` through ``resource`` as a ``csv`` or ``xlsx`` file: (content, type)."""
    file_format = FORMATS[fmt]
    dataset = resource.export(queryset)
    dataset.title = title
    return file_format.export_data(dataset), file_format.get_content_type()


# Running an import ---------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    key: str
    action: str = ""  # create / update / error
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ImportResult:
    kind: str
    rows: list[RowResult]
    committed: bool

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "error": 0}
        for row in self.rows:
            counts[row.action] = counts.get(row.action, 0) + 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.action == "error" for row in self.rows)


@dataclass(frozen=True)
class Importer:
    resource: type  # a ServiceResource subclass
    permission: str
    label: str


IMPORTERS: dict[str, Importer] = {}


def register_importer(kind: str, resource, permission: str, label: str) -> None:
    """Other apps add theirs: ``resource`` is a ``ServiceResource`` subclass."""
    IMPORTERS[kind] = Importer(resource, permission, label)


def importers_for(user) -> list[tuple[str, str]]:
    return [(kind, i.label) for kind, i in IMPORTERS.items() if user.has_perm(i.permission)]


ACTIONS = {"new": "create", "update": "update"}


def _row_result(line: int, row: dict, outcome, key_columns) -> RowResult:
    if outcome.errors:  # not a row error but a fault: surface it as any other would be
        raise outcome.errors[0].error
    key = next((row[c] for c in key_columns if row.get(c)), "")
    if outcome.is_invalid():
        return RowResult(line, key, "error", outcome.validation_error.message_dict)
    return RowResult(line, key, ACTIONS[outcome.import_type])


def run_import(*, kind: str, dataset: tablib.Dataset, actor, commit: bool) -> ImportResult:
    """Import ``dataset``: with ``commit=False`` nothing is kept, nor when any row has errors."""
    importer = IMPORTERS[kind]
    if not actor.has_perm(importer.permission):
        raise ActionForbidden("You may not import these records.")
    resource = importer.resource(actor=actor)
    result = resource.import_data(
        dataset, dry_run=not commit, use_transactions=True, rollback_on_validation_errors=True
    )
    if result.base_errors:
        raise result.base_errors[0].error
    outcomes = zip(dataset.dict, result.rows, strict=True)
    rows = [
        _row_result(number, row, outcome, resource.key_columns)
        for number, (row, outcome) in enumerate(outcomes, start=2)  # line 1 is the header
    ]
    committed = commit and not result.has_validation_errors()
    return ImportResult(kind, rows, committed=committed)
