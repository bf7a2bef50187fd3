"""Migrate and load the benchmark data at a scale, timing each table.

Scale 1.0: a million customers, two million contacts, 200,000 enquiries, 100,000
opportunities, 100,000 quotes of ten lines, a million tickets. Big tables are filled by one
``INSERT … SELECT`` each with their secondary indexes dropped, which are rebuilt right after
(as a restore would); the small reference data is made through the ORM and the project's
demo code and factories. Import this module only after ``django.setup()``.
"""

import importlib
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from leads.models import Lead
from opportunities.models import Opportunity
from quotes.models import Quote, QuoteLine
from sfa.customers import services as customer_services
from sfa.customers.models import Account, AccountShare, Contact
from tests.bench.load import (
    bulk_customers,
    bulk_sales,
    bulk_support,
    checks,
    database,
    reference,
)
from tests.bench.load.sqlgen import Timeline
from tickets.models import Ticket

PER_SCALE = {  # rows at scale 1.0
    "accounts": 1_000_000,
    "leads": 200_000,
    "opportunities": 100_000,
    "quotes": 100_000,
    "tickets": 1_000_000,
}
COUNTED = {  # what the results report, by label
    "customers": Account,
    "contacts": Contact,
    "customer shares": AccountShare,
    "enquiries": Lead,
    "opportunities": Opportunity,
    "quotes": Quote,
    "quote lines": QuoteLine,
    "tickets": Ticket,
}
COUNTERS = [  # numbering kind, table, year-and-number column
    ("enquiry", "leads_lead", "number"),
    ("quote", "quotes_quote", "number"),
    ("ticket", "tickets_ticket", "number"),
]


@dataclass
class LoadReport:
    scale: float
    steps: list[dict] = field(default_factory=list)  # label, seconds, rows

    def as_dict(self) -> dict:
        return {"scale": self.scale, "steps": self.steps, "total_seconds": self.total}

    @property
    def total(self) -> float:
        return round(sum(step["seconds"] for step in self.steps), 1)


def counts_for(scale: float) -> dict[str, int]:
    return {name: max(50, round(rows * scale)) for name, rows in PER_SCALE.items()}


def migrate() -> float:
    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - start


# Indexes -----------------------------------------------------------------------------------------


def drop_secondary_indexes(cursor, table: str) -> list[str]:
    """Drop the indexes that back no constraint; return their definitions to rebuild."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = %s AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = format('%%I', i.indexname)::regclass)""",
        [table],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def rebuild_indexes(cursor, definitions: list[str]) -> None:
    for definition in definitions:
        cursor.execute(definition)


# The load ----------------------------------------------------------------------------------------


class Loader:
    """Runs the steps in order, each timed and printed; tables are filled index-less."""

    def __init__(self, scale: float, log: Callable[[str], None] = print):
        self.scale = scale
        self.counts = counts_for(scale)
        self.report = LoadReport(scale)
        self.time = Timeline(anchor=timezone.now().replace(second=0, microsecond=0))
        self.ref = reference.Reference()
        self.log = log

    def step(self, label: str, work: Callable[[], object], table: str | None = None) -> None:
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
        rows = _count(table) if table else None
        self.report.steps.append({"label": label, "seconds": round(seconds, 2), "rows": rows})
        shown = f"{rows:>10,} rows" if rows is not None else " " * 15
        self.log(f"  load {label:<44} {shown}  {seconds:8.2f} s")

    def table(self, label: str, table: str, fill: Callable[[object], None]) -> None:
        """Fill ``table`` without its secondary indexes, then rebuild them (timed apart)."""
        with connection.cursor() as cursor:
            definitions = drop_secondary_indexes(cursor, table)
            self.step(label, partial(fill, cursor), table)
            rebuild = partial(rebuild_indexes, cursor, definitions)
            self.step(f"{label}: {len(definitions)} indexes", rebuild)

    def run(self) -> LoadReport:
        self.step("staff, branches, teams (demo, factories)", self._staff)
        self.step("lookups, catalogue, SLA policies (ORM)", self._reference)
        self._customers()
        self._sales()
        self.table("tickets", "tickets_ticket", self._tickets)
        self.step("knowledge base (services)", lambda: reference.knowledge_base(self.users))
        self.step("quotas", lambda: reference.quotas(self.ref, self.time.anchor.date()))
        self.step("number counters, sequences", self._numbering)
        self.step("vacuum analyze", _vacuum_analyze)
        self.step("check samples (full_clean, quote totals)", checks.check_samples)
        with connection.cursor() as cursor:
            database.save_info(cursor, self.info())
        return self.report

    def _staff(self) -> None:
        self.users = reference.staff(self.ref)

    def _reference(self) -> None:
        reference.customer_lookups(self.ref)
        reference.catalogue(self.ref)
        reference.support_desk(self.ref)
        reference.pipeline(self.ref)

    def _customers(self) -> None:
        """Customers and what hangs on them; the customers' own indexes are rebuilt last,
        after their search documents (an UPDATE of every customer) are written."""
        n, t, ref = self.counts["accounts"], self.time, self.ref
        with connection.cursor() as cursor:
            indexes = drop_secondary_indexes(cursor, "customers_account")
            accounts = partial(bulk_customers.load_accounts, cursor, ref, count=n, time=t)
            self.step("customers", accounts, "customers_account")
            contacts = partial(bulk_customers.load_contacts, time=t)
            self.table("contacts", "customers_contact", contacts)
            types = partial(bulk_customers.load_account_types, ref=ref)
            self.table("customer types", "customers_account_types", types)
            shares = partial(bulk_customers.load_account_shares, ref=ref, time=t)
            self.table("customer shares", "customers_accountshare", shares)
            self.step("customer search documents", partial(self._search_documents, cursor))
            rebuild = partial(rebuild_indexes, cursor, indexes)
            self.step(f"customers: {len(indexes)} indexes", rebuild)

    def _search_documents(self, cursor) -> None:
        """Fill the per-customer search documents where the app has them (its rebuild is
        one UPDATE of every customer), then compact the table that UPDATE doubled."""
        rebuild = _search_documents_rebuild()
        if rebuild is None:
            self.log("  (no account_search_documents_rebuild in sfa.customers: skipped)")
            return
        optional = (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
        needed = [
            name
            for name, p in inspect.signature(rebuild).parameters.items()
            if p.default is inspect.Parameter.empty and p.kind not in optional
        ]
        if needed:
            raise RuntimeError(f"account_search_documents_rebuild needs {needed}: adapt the loader")
        rebuild()
        cursor.execute("VACUUM FULL customers_account")

    def _sales(self) -> None:
        n, t = self.counts, self.time
        leads = partial(bulk_sales.load_leads, count=n["leads"], accounts=n["accounts"], time=t)
        self.table("enquiries", "leads_lead", leads)
        deals = partial(bulk_sales.load_opportunities, ref=self.ref, count=n["opportunities"],
                        accounts=n["accounts"], time=t)  # fmt: skip
        self.table("opportunities", "opportunities_opportunity", deals)
        self._quotes()

    def _quotes(self) -> None:
        """Quotes, their lines, then the totals (an UPDATE, before any index is rebuilt)."""
        n = self.counts
        with connection.cursor() as cursor:
            indexes = drop_secondary_indexes(cursor, "quotes_quote")
            indexes += drop_secondary_indexes(cursor, "quotes_quoteline")
            quotes = partial(bulk_sales.load_quotes, cursor, self.ref, count=n["quotes"],
                             accounts=n["accounts"], opportunities=n["opportunities"],
                             time=self.time)  # fmt: skip
            self.step("quotes", quotes, "quotes_quote")
            lines = partial(bulk_sales.load_quote_lines, cursor, self.ref)
            self.step("quote lines", lines, "quotes_quoteline")
            self.step("quote totals (update)", partial(bulk_sales.total_quotes, cursor))
            rebuild = partial(rebuild_indexes, cursor, indexes)
            self.step(f"quotes and lines: {len(indexes)} indexes", rebuild)

    def _tickets(self, cursor) -> None:
        n = self.counts
        bulk_support.load_tickets(
            cursor, self.ref, count=n["tickets"], accounts=n["accounts"], time=self.time
        )
        cursor.execute("DROP TABLE bench_contact_range")

    def _numbering(self) -> None:
        with connection.cursor() as cursor:
            set_counters(cursor)
            for table in ("customers_account", "leads_lead", "opportunities_opportunity",
                          "quotes_quote", "tickets_ticket"):  # fmt: skip
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 1))"
                )

    def info(self) -> dict:
        return {
            "scale": self.scale,
            "loaded_at": self.time.anchor.isoformat(),
            "load": self.report.as_dict(),
            "rows": row_counts(),
        }


def _search_documents_rebuild() -> Callable | None:
    """``account_search_documents_rebuild`` from ``sfa.customers.services``, or from the
    module that keeps the documents (``sfa.customers.search``) when services do not re-export
    it; None while the app has no search documents."""
    found = getattr(customer_services, "account_search_documents_rebuild", None)
    if found is None:
        try:
            search = importlib.import_module("sfa.customers.search")
        except ImportError:
            return None
        found = getattr(search, "account_search_documents_rebuild", None)
    return found


def set_counters(cursor) -> None:
    """The next enquiry, quote, ticket and customer get the number after the last loaded."""
    upsert = (
        "INSERT INTO core_numbercounter (kind, year, last) {select} ON CONFLICT (kind, year) "
        "DO UPDATE SET last = GREATEST(core_numbercounter.last, EXCLUDED.last)"
    )
    for kind, table, column in COUNTERS:
        select = (
            f"SELECT '{kind}', split_part({column}, '-', 2)::int, "
            f"max(split_part({column}, '-', 3)::int) FROM {table} GROUP BY 2"
        )
        cursor.execute(upsert.format(select=select))
    cursor.execute(upsert.format(select="SELECT 'account', 0, max(id) FROM customers_account"))


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def row_counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in COUNTED.items()}


def _vacuum_analyze() -> None:
    """VACUUM (the visibility map a database in use has) and ANALYZE every table."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
