"""One search document per customer (``sfa.customers.search``), filled for the customers that
exist, with the indexes that answer it on PostgreSQL: trigrams for a word inside the document,
``lower(code)`` and ``lower(name)`` for prefixes. The per-column trigram indexes that only the
customer search used go (contacts, products and the code and name ones stay).

The document is written as of this migration (frozen here); the app's code keeps it current.
"""

import re

from django.db import migrations, models

ACCOUNT_PARTS = ("code", "name", "email", "phone", "mobile", "fax", "street", "postal_code",
                 "city", "area", "region", "state")  # fmt: skip
CONTACT_PARTS = ("first_name", "last_name", "email", "phone", "mobile")
PHONES = {"phone", "mobile", "fax"}
DROPPED_COLUMN_INDEXES = ("email", "phone", "city", "street", "area")


def _sql_parts(alias, names):
    parts = []
    for name in names:
        parts.append(f"NULLIF({alias}.{name}, '')")
        if name in PHONES:
            parts.append(f"NULLIF(regexp_replace({alias}.{name}, '\\D', '', 'g'), '')")
    return ", ".join(parts)


REBUILD_SQL = f"""
UPDATE customers_account AS a SET search_document = lower(concat_ws(' ',
    {_sql_parts("a", ACCOUNT_PARTS)},
    (SELECT string_agg(NULLIF(concat_ws(' ', {_sql_parts("c", CONTACT_PARTS)}), ''), ' '
                       ORDER BY c.id)
       FROM customers_contact AS c WHERE c.account_id = a.id)))
"""


def _parts(row, names):
    for name in names:
        value = getattr(row, name) or ""
        yield value
        if name in PHONES:
            yield re.sub(r"\D", "", value)


def fill_documents(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REBUILD_SQL)
        return
    Account = apps.get_model("customers", "Account")
    Contact = apps.get_model("customers", "Contact")
    contacts = {}
    for contact in Contact.objects.order_by("pk"):
        contacts.setdefault(contact.account_id, []).append(contact)
    accounts = list(Account.objects.all())
    for account in accounts:
        parts = list(_parts(account, ACCOUNT_PARTS))
        for contact in contacts.get(account.pk, ()):
            parts.extend(_parts(contact, CONTACT_PARTS))
        account.search_document = " ".join(p for p in parts if p).lower()
    Account.objects.bulk_update(accounts, ["search_document"], batch_size=500)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX customers_account_search_trgm ON customers_account "
        "USING gin (search_document gin_trgm_ops)"
    )
    for column in ("code", "name"):
        schema_editor.execute(
            f"CREATE INDEX customers_account_{column}_lower ON customers_account "
            f"(lower({column}) text_pattern_ops)"
        )
    for column in DROPPED_COLUMN_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "customers_account_{column}_trgm"')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("search_trgm", "code_lower", "name_lower"):
        schema_editor.execute(f"DROP INDEX IF EXISTS customers_account_{name}")
    for column in DROPPED_COLUMN_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "customers_account_{column}_trgm" ON customers_account '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_account_credit_hold"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="search_document",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="What the search box looks in (sfa.customers.search), kept by the "
                "services.",
            ),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
