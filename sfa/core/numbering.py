"""Gapless human numbers per kind and year (``Q-2026-00042``).

The counter row is locked in the caller's transaction: a rolled-back transaction returns its
number, and concurrent callers queue on the row lock instead of racing on ``count() + 1``.
"""

from django.db import transaction

from sfa.core.models import NumberCounter

PREFIXES: dict[str, str] = {}


def register_prefix(kind: str, prefix: str) -> None:
    PREFIXES[kind] = prefix


def next_value(*, kind: str, year: int = 0) -> int:
    return next_values(kind=kind, year=year, count=1).start


def next_values(*, kind: str, year: int = 0, count: int) -> range:
    """The next ``count`` values as one block (a bulk import numbers a batch with one lock)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside the issuing transaction.")
    if count < 1:
        raise ValueError("Ask for one value or more.")
    NumberCounter.objects.bulk_create(
        [NumberCounter(kind=kind, year=year, last=0)], ignore_conflicts=True
    )
    counter = NumberCounter.objects.select_for_update().get(kind=kind, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, counter.last + 1)


def next_number(*, kind: str, year: int, width: int = 5) -> str:
    """``<PREFIX>-<year>-<n>``, e.g. ``next_number(kind="quote", year=2026)`` → ``Q-2026-00042``."""
    value = next_value(kind=kind, year=year)
    prefix = PREFIXES.get(kind, kind.upper())
    return f"{prefix}-{year}-{value:0{width}d}"
