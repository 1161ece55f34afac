"""PostgreSQL keeps a 1,000-value sample of agencies' ``search_text`` (100 by default) so that
it sees how few agencies a name matches. With 100 values a commune's name ("phuoc thuan": 20
of the country's 5,001 agencies) matched none of the sample and was taken for a fifth of the
table, so every search read all the agencies (2.8 ms, twice a page) instead of the trigram
index (0.3 ms). A search matching thousands ("xa") still reads the table."""

from django.db import migrations

STATISTICS = 1000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE organizations_agency ALTER COLUMN search_text SET STATISTICS {STATISTICS}"
    )
    schema_editor.execute("ANALYZE organizations_agency")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE organizations_agency ALTER COLUMN search_text SET STATISTICS -1"
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_agency_ranked_search_text")]
    operations = [migrations.RunPython(forwards, backwards)]
