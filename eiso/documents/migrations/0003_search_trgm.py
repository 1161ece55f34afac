"""Trigram indexes on search text, PostgreSQL only (RECIPES.md)."""

from django.db import migrations

INDEXES = {
    "documents_document_search_trgm": "documents_document",
    "documents_external_search_trgm": "documents_externaldocument",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_policy_and_templates")]
    operations = [migrations.RunPython(forwards, backwards)]
