"""Indexes behind the global search box's quick find (`tickets.selectors`), PostgreSQL only:
trigrams for a text that contains what was typed, pattern ops for a number that starts with it.
"""

from django.db import migrations

STATEMENTS = [
    "CREATE INDEX tickets_ticket_subject_trgm ON tickets_ticket "
    "USING gin ((UPPER(subject::text)) gin_trgm_ops)",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in STATEMENTS:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in STATEMENTS:
        name = statement.split(" ON ")[0].split()[-1]
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_list_order_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
