"""CSV / XLSX import: read a table, run each row through an app's importer, preview or commit.

Every row goes through the same services as the UI and the API, each in a savepoint. A dry run
does the whole import inside a transaction and rolls it back, so the preview shows exactly what
a commit would do: per row "create", "update" or the errors that stop it. Apps register their
importers (``register_importer``) in ``AppConfig.ready()``.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from sfa.core.exceptions import ActionForbidden, DomainError

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
TRUE = {"1", "yes", "y", "true", "x", "ja", "oui"}


class ImportFileError(Exception):
    """The file itself cannot be read (format, encoding, no header)."""


class RowError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


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


def read_table(name: str, data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or Latin-1; comma, semicolon or tab) or XLSX file."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same to users
            raise ImportFileError("The file is not a readable XLSX workbook.") from exc
    elif name.lower().endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    table = [row for row in table if any(cell.strip() for cell in row)]
    if len(table) < 2:
        raise ImportFileError("The file needs a header row and at least one data row.")
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"At most {MAX_ROWS} rows per import.")
    header = [_header(h) for h in table[0]]
    return [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        for row in table[1:]
    ]


def decimal_cell(row: dict, name: str):
    value = row.get(name, "").replace(" ", "")
    if value == "":
        return None
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise RowError({name: ["Enter a number."]}) from exc


IMPORTERS: dict[str, tuple] = {}


def register_importer(kind: str, importer, permission: str, label: str) -> None:
    """Other apps add theirs: ``importer(row, actor, seen) -> "create" | "update"``."""
    IMPORTERS[kind] = (importer, permission, label)


def importers_for(user) -> list[tuple[str, str]]:
    return [(kind, label) for kind, (_f, perm, label) in IMPORTERS.items() if user.has_perm(perm)]


class _DryRun(Exception):
    pass


def _errors_of(exc: Exception) -> dict[str, list[str]]:
    if isinstance(exc, RowError):
        return exc.errors
    if isinstance(exc, DomainError):
        return {
            name: (
                msgs
                if isinstance(msgs, list)
                else [f"{k}: {', '.join(v)}" for k, v in msgs.items()]
            )
            for name, msgs in exc.fields.items()
        } or {"row": [exc.detail]}
    if isinstance(exc, ValidationError):
        return exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
    raise exc


def run_import(*, kind: str, rows: list[dict], actor, commit: bool) -> ImportResult:
    """Import ``rows``; with ``commit=False`` nothing is kept. A commit with errors keeps none."""
    importer, permission, _label = IMPORTERS[kind]
    if not actor.has_perm(permission):
        raise ActionForbidden("You may not import these records.")
    results: list[RowResult] = []
    seen: set = set()
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                result = RowResult(line=number, key=row.get("code") or row.get("email", ""))
                try:
                    with transaction.atomic():
                        result.action = importer(row, actor, seen)
                except (RowError, DomainError, ValidationError) as exc:
                    result.action, result.errors = "error", _errors_of(exc)
                results.append(result)
            if not commit or any(r.action == "error" for r in results):
                raise _DryRun
    except _DryRun:
        return ImportResult(kind, results, committed=False)
    return ImportResult(kind, results, committed=True)
