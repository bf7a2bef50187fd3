"""CSV and XLSX export of a customer list (``selectors.account_list``: filtered, scoped,
with its relations)."""

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook

COLUMNS = [
    ("code", "code"), ("name", "name"), ("status", "status"), ("types", None),
    ("group", "group.code"), ("branch", "branch.code"), ("owner", "owner.username"),
    ("email", "email"), ("phone", "phone"), ("mobile", "mobile"), ("fax", "fax"),
    ("website", "website"), ("vat_id", "vat_id"), ("street", "street"),
    ("street2", "street2"), ("postal_code", "postal_code"), ("city", "city"), ("area", "area"),
    ("region", "region"), ("state", "state"), ("country", "country"),
    ("credit_limit", "credit_limit"), ("payment_terms", "payment_terms.name"),
    ("discount_privilege", "discount_privilege"),
]  # fmt: skip
MAX_ROWS = 50_000


def _value(account, path):
    value = account
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value


def account_rows(queryset):
    yield [name for name, _ in COLUMNS] + ["custom_fields"]
    for account in queryset[:MAX_ROWS].iterator(chunk_size=1000):
        row = []
        for _name, path in COLUMNS:
            if path is None:
                row.append("|".join(t.name for t in account.types.all()))
            else:
                row.append(_value(account, path))
        row.append(";".join(f"{k}={v}" for k, v in sorted(account.custom_fields.items())))
        yield row


def accounts_response(queryset, fmt: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in account_rows(queryset):
            writer.writerow(row)
        response = HttpResponse(
            buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("customers")
        for row in account_rows(queryset):
            sheet.append([str(v) if not isinstance(v, int | float | str) else v for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.{fmt}"'
    return response
