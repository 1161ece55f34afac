"""Trigram index on agency search text, PostgreSQL only (RECIPES.md)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS organizations_agency_search_trgm "
        "ON organizations_agency USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS organizations_agency_path_like "
        "ON organizations_agency (path varchar_pattern_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS organizations_agency_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS organizations_agency_path_like")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_agency_kinds")]
    operations = [migrations.RunPython(forwards, backwards)]
