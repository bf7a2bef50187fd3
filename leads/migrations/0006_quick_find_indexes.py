"""Indexes behind the global search box's quick find (`leads.selectors`), PostgreSQL only:
trigrams for a text that contains what was typed, pattern ops for a number that starts with it.
"""

from django.db import migrations

STATEMENTS = [
    "CREATE INDEX leads_lead_company_trgm ON leads_lead "
    "USING gin ((UPPER(company::text)) gin_trgm_ops)",
    "CREATE INDEX leads_lead_last_name_trgm ON leads_lead "
    "USING gin ((UPPER(last_name::text)) gin_trgm_ops)",
    "CREATE INDEX leads_lead_email_trgm ON leads_lead "
    "USING gin ((UPPER(email::text)) gin_trgm_ops)",
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
    dependencies = [("leads", "0005_list_order_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
