"""Trigram GIN indexes behind the customer search box (PostgreSQL only).

``icontains`` becomes ``UPPER(col::text) LIKE UPPER(%s)``; these expression indexes let
PostgreSQL answer it from ``pg_trgm`` instead of scanning the table. On SQLite (the embedded
default) nothing is created.
"""

from django.db import migrations

INDEXES = {
    "customers_account": ["code", "name", "email", "phone", "city", "street", "area"],
    "customers_contact": ["first_name", "last_name", "email", "phone"],
    "catalog_product": ["code", "name"],
}


def _statements(create: bool):
    for table, columns in INDEXES.items():
        for column in columns:
            name = f"{table}_{column}_trgm"
            if create:
                yield (
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                    f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
                )
            else:
                yield f'DROP INDEX IF EXISTS "{name}"'


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in _statements(create=True):
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _statements(create=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("catalog", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
