"""How fast the staff import runs: customers per second for the preview (a dry run) and for
the commit, new customers checked and written by ``sfa.customers.bulk`` as the services would.

``SFA_BENCH_IMPORT_ROWS`` sets the import's size (100,000 by default: issue 17 aims at
2,000 rows/s or more); ``SFA_BENCH_EXPORT_ROWS`` the export's (10,000 by default; the export
writes at most ``exports.MAX_ROWS``, 50,000)."""

import csv
import io
import os
import time

import pytest

from sfa.core import importing
from sfa.customers.exports import accounts_response
from sfa.customers.models import Account

ROWS = int(os.environ.get("SFA_BENCH_IMPORT_ROWS", "100000"))
EXPORT_ROWS = int(os.environ.get("SFA_BENCH_EXPORT_ROWS", "10000"))


def customers_csv(n: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["code", "name", "email", "city", "credit_limit", "owner"])
    for i in range(n):
        writer.writerow(
            [f"IMP{i:06d}", f"Import {i} GmbH", f"info@imp{i}.example", "Kiel", "1500,50", "rep1"]
        )
    return buffer.getvalue().encode()


def rate(label: str, seconds: float) -> None:
    print(f"\nBENCH {label:<55} {seconds:7.2f} s  {ROWS / seconds:8,.0f} rows/s")


@pytest.mark.django_db
def test_bench_import_customers(sales_manager, rep1, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", ROWS)
    start = time.perf_counter()
    dataset = importing.read_dataset("customers.csv", customers_csv(ROWS))
    rate(f"read a CSV of {ROWS:,} customers", time.perf_counter() - start)
    for commit in (False, True):
        start = time.perf_counter()
        result = importing.run_import(
            kind="accounts", dataset=dataset, actor=sales_manager, commit=commit
        )
        rate(f"import {ROWS:,} customers, {'commit' if commit else 'preview'}",
             time.perf_counter() - start)  # fmt: skip
        assert result.counts["create"] == ROWS
    assert Account.objects.count() == ROWS


@pytest.mark.django_db
def test_bench_export_customers(sales_manager, rep1, timed):
    Account.objects.bulk_create(
        Account(code=f"E{n:06d}", name=f"Export {n} GmbH", owner=rep1, branch=rep1.branch)
        for n in range(EXPORT_ROWS)
    )
    for fmt in ("csv", "xlsx"):
        timed(
            f"export {EXPORT_ROWS:,} customers as {fmt}",
            lambda fmt=fmt: accounts_response(Account.objects.all(), fmt),
            repeat=3,
        )
