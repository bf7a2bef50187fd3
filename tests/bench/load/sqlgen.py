"""Pieces of set-based SQL: deterministic pseudo-randomness and INSERT … SELECT statements.

Randomness comes from ``md5(<row expression> || <salt>)``: the same rows on every run and
machine, independent choices per salt, no state. Lists of words become array literals that
PostgreSQL folds once per statement. Statements carry no parameters (every value is a literal
made here from our own constants), so ``%`` and ``mod()`` can be used freely.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

MAX_RANDOM = 2147483648  # rnd() is in [0, MAX_RANDOM)
TEXT_TYPES = {
    "CharField", "TextField", "EmailField", "SlugField", "URLField", "FileField",
    "HttpsURLField", "FSMField",
}  # fmt: skip


class LoaderError(RuntimeError):
    """The loader does not know how to fill a column (a model changed): say which."""


def literal(value) -> str:
    """A SQL literal for one of our own constants."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return f"'{value.isoformat()}'::timestamptz"
    if isinstance(value, datetime.date):
        return f"'{value.isoformat()}'::date"
    if isinstance(value, dict | list):
        return f"{literal(json.dumps(value))}::jsonb"
    return "'" + str(value).replace("'", "''") + "'"


def array(values, cast: str = "text") -> str:
    return f"ARRAY[{', '.join(literal(v) for v in values)}]::{cast}[]"


def rnd(expr: str, salt: str) -> str:
    """A pseudo-random integer in [0, 2^31) for the row ``expr`` and the choice ``salt``."""
    return f"(('x' || substr(md5(({expr})::text || '{salt}'), 1, 8))::bit(32)::int & 2147483647)"


def unit(expr: str, salt: str) -> str:
    """A pseudo-random number in [0, 1)."""
    return f"({rnd(expr, salt)}::float8 / {MAX_RANDOM}.0)"


def below(expr: str, salt: str, n) -> str:
    """A pseudo-random integer in [0, n) (``n`` may be an SQL expression)."""
    return f"mod({rnd(expr, salt)}, {n})"


def chance(expr: str, salt: str, percent: float) -> str:
    """True for about ``percent`` % of the rows."""
    return f"({rnd(expr, salt)} < {int(MAX_RANDOM * percent / 100)})"


def pick(values, expr: str, salt: str, cast: str = "text") -> str:
    """One of ``values``, evenly."""
    return f"({array(values, cast)})[1 + {below(expr, salt, len(values))}]"


def weighted(choices: list[tuple[object, int]], expr: str, salt: str, cast: str = "text") -> str:
    """One of the values, each as often as its (small integer) weight says."""
    expanded = [value for value, weight in choices for _ in range(weight)]
    return pick(expanded, expr, salt, cast)


def by_share(choices: list[tuple[object, int]], percentile: str) -> str:
    """The value whose share (in %, summing to 100) holds ``percentile`` (an expression in
    [0, 100) computed once per row): cheaper than :func:`weighted` when several splits of
    the same rows must agree, such as workflow states by age."""
    if sum(weight for _value, weight in choices) != 100:
        raise LoaderError(f"shares do not add up to 100: {choices}")
    branches, limit = [], 0
    for value, weight in choices[:-1]:
        limit += weight
        branches.append(f"WHEN {percentile} < {limit} THEN {literal(value)}")
    return f"CASE {' '.join(branches)} ELSE {literal(choices[-1][0])} END"


def padded(expr: str, width: int) -> str:
    """``expr`` zero-padded to ``width`` digits, never cut (Python's ``f"{n:05d}"``)."""
    return f"lpad(({expr})::text, greatest({width}, length(({expr})::text)), '0')"


def human_number(prefix: str, year: str, n: str) -> str:
    """``ENQ-2026-00001``: ``sfa.core.numbering.next_number``'s format."""
    return f"'{prefix}-' || ({year})::text || '-' || {padded(n, 5)}"


def _default_sql(field: models.Field) -> str | None:
    """What a NOT NULL column gets when the loader says nothing: the model's default, ''
    for a blank text column; None when the field has neither (the loader must fill it)."""
    if field.has_default():
        value = field.get_default()
        if isinstance(field, models.JSONField):
            return f"{literal(json.dumps(value))}::jsonb"
        if hasattr(value, "value"):  # an enum member
            value = value.value
        return literal(value)
    if field.blank and field.get_internal_type() in TEXT_TYPES:
        return "''"
    return None


def insert_select(model, values: dict[str, str], source: str) -> str:
    """``INSERT INTO <table> (...) SELECT ... FROM <source>``: ``values`` maps column names to
    SQL expressions; every other NOT NULL column gets its model default, so a column added
    with a default later does not break the loader, and one without a default fails loudly."""
    known = {field.column: field for field in model._meta.concrete_fields}
    unknown = set(values) - set(known)
    if unknown:
        raise LoaderError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    columns, expressions = [], []
    for column, field in known.items():
        if column in values:
            expression = values[column]
        elif field.primary_key or field.null:
            continue
        else:
            expression = _default_sql(field)
            if expression is None:
                raise LoaderError(
                    f"{model.__name__}.{field.name} is NOT NULL without a default: "
                    "tests/bench/load must fill it."
                )
        columns.append(f'"{column}"')
        expressions.append(f'{expression} AS "{column}"')
    return (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)})\n'
        f"SELECT {', '.join(expressions)}\nFROM {source}"
    )


@dataclass(frozen=True)
class Timeline:
    """Three years of history up to ``anchor`` ("now" for the data)."""

    anchor: datetime.datetime
    days: int = 1095

    @property
    def now(self) -> str:
        return literal(self.anchor)

    @property
    def today(self) -> str:
        return f"{literal(self.anchor)}::date"

    @property
    def start(self) -> str:
        return literal(self.anchor - datetime.timedelta(days=self.days))

    def spread(self, row: str, count: int, salt: str) -> str:
        """Row ``row`` (1…count) of ``count`` at its moment: rows follow time, with jitter."""
        return (
            f"({self.start} + interval '{self.days} days' * "
            f"((({row}) - 1 + {unit(row, salt)}) / {count}))"
        )

    def age_days(self, moment: str) -> str:
        return f"({self.today} - ({moment})::date)"


def within(start: str, span: str, now: str, fraction: str) -> str:
    """``start + span``, or, when that is still to come, a moment between ``start`` and now
    (``fraction`` of the way): never in the future, never piled up on "now"."""
    return (
        f"CASE WHEN {start} + {span} <= {now} THEN {start} + {span} "
        f"ELSE {start} + ({now} - {start}) * {fraction} END"
    )


def when(condition: str, then: str, otherwise: str | None = None) -> str:
    """``CASE WHEN condition THEN then [ELSE otherwise] END``."""
    other = f" ELSE {otherwise}" if otherwise is not None else ""
    return f"CASE WHEN {condition} THEN {then}{other} END"


def digits(expr: str, salt: str, low: int, high: int) -> str:
    """A pseudo-random whole number in [low, high)."""
    return f"({low} + {below(expr, salt, high - low)})"
