"""Agencies' ``search_text`` written field by field (``core.text.ranked_search_text``: the
code and names, each after a mark, then the address), so that a search ranks its matches on
the stored text instead of folding every name in SQL."""

from django.db import migrations

BATCH = 2000


def _rewrite(apps, text_of):
    Agency = apps.get_model("organizations", "Agency")
    batch = []
    for agency in (
        Agency.objects.order_by("pk")
        .only("pk", "code", "name", "short_name", "address")
        .iterator(chunk_size=BATCH)
    ):
        agency.search_text = text_of(agency)
        batch.append(agency)
        if len(batch) == BATCH:
            Agency.objects.bulk_update(batch, ["search_text"])
            batch = []
    Agency.objects.bulk_update(batch, ["search_text"])


def forwards(apps, schema_editor):
    from eiso.core.text import ranked_search_text

    _rewrite(apps, lambda a: ranked_search_text(a.code, [a.name, a.short_name], [a.address]))


def backwards(apps, schema_editor):
    from eiso.core.text import search_text_of

    _rewrite(apps, lambda a: search_text_of(a.code, a.name, a.short_name, a.address))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_agency_search_trgm")]
    operations = [migrations.RunPython(forwards, backwards)]
