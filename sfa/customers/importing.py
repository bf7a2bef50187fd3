"""CSV / XLSX import of customers, contacts and products.

Every row goes through the same services as the UI and the API, each in a savepoint. A dry run
does the whole import inside a transaction and rolls it back, so the preview shows exactly what
a commit would do: per row "create", "update" or the errors that stop it.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from sfa.core.exceptions import DomainError
from sfa.core.models import Branch
from sfa.customers import services
from sfa.customers.models import Account, Contact, CustomerGroup, CustomerType, PaymentTerm
from sfa.customers.selectors import account_visible_to

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
ACCOUNT_TEXT = [
    "name",
    "email",
    "phone",
    "mobile",
    "fax",
    "website",
    "vat_id",
    "street",
    "street2",
    "postal_code",
    "city",
    "area",
    "region",
    "state",
    "country",
    "alert_message",
    "notes",
]
CONTACT_TEXT = [
    "first_name",
    "last_name",
    "title",
    "department",
    "email",
    "phone",
    "mobile",
    "salutation",
]
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


def read_table(name: str, data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or Latin-1; comma, semicolon or tab) or XLSX file."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
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


def _lookup(model, row: dict, column: str, **field):
    value = row.get(column, "")
    if not value:
        return None
    (lookup_field,) = field.values() if field else ("name",)
    found = model.objects.filter(**{f"{lookup_field}__iexact": value}).first()
    if found is None:
        raise RowError({column: [f"Unknown {column.replace('_', ' ')} “{value}”."]})
    return found


def _account_data(row: dict) -> tuple[dict, list]:
    data = {name: row[name] for name in ACCOUNT_TEXT if row.get(name)}
    if row.get("code"):
        data["code"] = row["code"]
    data["group"] = _lookup(CustomerGroup, row, "group", f="code")
    data["branch"] = _lookup(Branch, row, "branch", f="code")
    data["payment_terms"] = _lookup(PaymentTerm, row, "payment_terms")
    if row.get("owner"):
        data["owner"] = _lookup(get_user_model(), row, "owner", f="username")
    for name in ("credit_limit", "discount_privilege"):
        value = decimal_cell(row, name)
        if value is not None:
            data[name] = value
    custom = {k[3:]: v for k, v in row.items() if k.startswith("cf_") and v != ""}
    if custom:
        data["custom_fields"] = custom
    types = []
    for type_name in filter(None, (t.strip() for t in row.get("types", "").split("|"))):
        found = CustomerType.objects.filter(name__iexact=type_name).first()
        if found is None:
            raise RowError({"types": [f"Unknown customer type “{type_name}”."]})
        types.append(found)
    return {k: v for k, v in data.items() if v is not None}, types


def _import_account(row: dict, actor, seen: set) -> str:
    code, email = row.get("code", ""), row.get("email", "").lower()
    for key in (f"code:{code.lower()}" if code else "", f"email:{email}" if email else ""):
        if key and key in seen:
            raise RowError({key.split(":")[0]: ["Appears twice in this file."]})
        if key:
            seen.add(key)
    data, types = _account_data(row)
    existing = Account.objects.filter(code__iexact=code).first() if code else None
    if existing is not None:
        if not account_visible_to(actor).filter(pk=existing.pk).exists():
            raise RowError({"code": ["This code belongs to a customer you cannot see."]})
        if not actor.has_perm("customers.change_account"):
            raise RowError({"code": ["Exists already and you may not change customers."]})
        data.pop("code", None)
        services.account_update(account=existing, actor=actor, data=data, types=types or None)
        return "update"
    if email:
        twin = Account.objects.filter(email__iexact=email).first()
        if twin is not None:
            raise RowError({"email": [f"Duplicate: customer {twin.code} has this e-mail."]})
    if not data.get("name"):
        raise RowError({"name": ["This field is required."]})
    services.account_create(actor=actor, data=data, types=types)
    return "create"


def _import_contact(row: dict, actor, seen: set) -> str:
    account = account_visible_to(actor).filter(code__iexact=row.get("account_code", "")).first()
    if account is None:
        raise RowError({"account_code": ["No customer with this code that you can see."]})
    email = row.get("email", "").lower()
    if email:
        key = f"{account.pk}:{email}"
        if key in seen:
            raise RowError({"email": ["Appears twice in this file for the same customer."]})
        seen.add(key)
    contact = (
        Contact.objects.filter(account=account, email__iexact=email).first() if email else None
    )
    action = "update" if contact else "create"
    contact = contact or Contact(account=account)
    for name in CONTACT_TEXT:
        if row.get(name):
            setattr(contact, name, row[name].lower() if name == "salutation" else row[name])
    for flag in ("is_primary", "email_consent"):
        if row.get(flag):
            setattr(contact, flag, row[flag].lower() in TRUE)
    services.contact_save(actor=actor, contact=contact)
    return action


IMPORTERS: dict[str, tuple] = {
    "accounts": (_import_account, "customers.import_account", "Customers"),
    "contacts": (_import_contact, "customers.add_contact", "Contacts"),
}


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
    importer = IMPORTERS[kind][0]
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
