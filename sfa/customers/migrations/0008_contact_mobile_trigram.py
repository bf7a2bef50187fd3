"""The contact search looks in mobiles too: their trigram index (PostgreSQL only), like the
other contact columns' (0002)."""

from django.db import migrations

INDEX = (
    'CREATE INDEX IF NOT EXISTS "customers_contact_mobile_trgm" ON "customers_contact" '
    'USING gin ((UPPER("mobile"::text)) gin_trgm_ops)'
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "customers_contact_mobile_trgm"')


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_list_order_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
