"""GIN index on the stored ``search_vector`` (PostgreSQL only; SQLite has no full-text here).

Why a stored column instead of a functional index: the document weights three columns
(title A, summary B, body C); a functional index is only used when a query repeats its exact
expression, which Django's ``SearchVector`` does not guarantee across versions. The column is
written by ``knowledgebase.services`` on every change of title, summary or body.
The index is not declared in ``Meta.indexes`` (a GinIndex would be created on SQLite too), so
``makemigrations`` leaves it alone.
"""

from django.db import migrations

INDEX = "knowledgebase_article_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON knowledgebase_article USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
