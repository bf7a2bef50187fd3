"""History rows for records written in bulk (``bulk_create`` fires no ``post_save``, so
simple-history's receivers write nothing).

:func:`history_rows_create` writes the rows simple-history writes for a save: one per record,
holding its tracked fields as they are now, with the user, the date, the type (``+`` created,
``~`` changed) and no change reason. It copies the records on the database server with one
``INSERT … SELECT``, instead of building a historical instance per record and sending its
values back, as ``simple_history.utils.bulk_create_with_history`` does (a quarter of a bulk
import's time). A history model with other columns than the tracked fields and
simple-history's own (a ``history_relation``, custom historical fields) gets them through
simple-history's ``bulk_history_create`` instead.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, models

# The columns simple-history adds to the tracked fields of every historical model.
HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def copies_on_server(model: type[models.Model]) -> bool:
    """Whether ``model``'s history rows are plain copies of its tracked fields."""
    history = model.history.model
    tracked = {field.name for field in history.tracked_fields}
    return {field.name for field in history._meta.concrete_fields} - tracked == HISTORY_FIELDS


def history_rows_create(
    records: Sequence[models.Model], *, history_type: str, user, date: datetime.datetime
) -> dict:
    """Write a history row of each of ``records`` (saved, of one model) as it is in the
    database now; returns the history row's id by the record's primary key."""
    if not records or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return {}
    model = type(records[0])
    if not copies_on_server(model):
        rows = model.history.bulk_history_create(
            records, update=history_type == "~", default_user=user,
            default_change_reason=None, default_date=date,
        )  # fmt: skip
        pk_name = model._meta.pk.attname  # the history row holds the record's key by that name
        return {getattr(row, pk_name): row.history_id for row in rows}
    return _copy_rows(model, [record.pk for record in records], history_type, user, date)


def _copy_rows(model, pks: list, history_type: str, user, date) -> dict:
    history = model.history.model
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(history._meta.get_field(name).column)

    tracked = list(history.tracked_fields)
    target = [column(field.name) for field in tracked]
    target += [column(name) for name in ("history_date", "history_change_reason")]
    target += [column(name) for name in ("history_type", "history_user")]
    source = [f"r.{quote(field.column)}" for field in tracked] + ["%s", "NULL", "%s", "%s"]
    key = quote(model._meta.pk.column)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(target)}) "
        f"SELECT {', '.join(source)} FROM {quote(model._meta.db_table)} r "
        f"WHERE r.{key} IN ({', '.join(['%s'] * len(pks))}) ORDER BY r.{key} "
        f"RETURNING {column('history_id')}, {column(model._meta.pk.name)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [date, history_type, getattr(user, "pk", None), *pks])
        return {pk: history_id for history_id, pk in cursor.fetchall()}
