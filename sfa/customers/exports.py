"""CSV and XLSX export of a (filtered, visibility-scoped) customer list.

The columns are those of the customer import (``AccountResource``), so an exported file can be
changed and imported back.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone

from sfa.core.importing import export_file
from sfa.customers.resources import AccountResource
from sfa.customers.selectors import with_list_relations

FORMATS = ("csv", "xlsx")
MAX_ROWS = 50_000


def accounts_response(queryset, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    accounts = with_list_relations(queryset)[:MAX_ROWS].iterator(chunk_size=1000)
    content, content_type = export_file(AccountResource(), accounts, fmt, title="customers")
    if fmt == "csv":
        content_type += "; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.{fmt}"'
    return response
