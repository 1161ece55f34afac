"""Data (part 2): superseded revisions are issued revisions (their end is computed from the
next revision's effective date); every issued revision has its effective date (the date of
its decision, else the day it was issued); decision numbers typed as a bare number get the
official shape "NN/QĐ-<symbol>" of their agency."""

import re

from django.db import migrations

COMMITTEE_PREFIXES = ("uy ban nhan dan", "ubnd")


def _fold(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _symbol(agency) -> str:
    words = _fold(agency.name).split()
    for prefix in COMMITTEE_PREFIXES:
        steps = prefix.split()
        if words[: len(steps)] == steps and len(words) > len(steps):
            return "UBND"
    return "".join(agency.code.split()).upper()


def forwards(apps, schema_editor):
    Revision = apps.get_model("documents", "Revision")
    IssuingDecision = apps.get_model("documents", "IssuingDecision")
    Revision.objects.filter(status="superseded").update(status="issued")
    for revision in Revision.objects.filter(
        status="issued", effective_date__isnull=True
    ).select_related("decision"):
        day = revision.decision.date if revision.decision_id and revision.decision.date else None
        if day is None and revision.issued_at is not None:
            day = revision.issued_at.date()
        if day is None:
            day = revision.created_at.date()
        Revision.objects.filter(pk=revision.pk).update(effective_date=day)
    for decision in IssuingDecision.objects.exclude(number="").select_related("agency"):
        bare = re.fullmatch(r"\s*(\d{1,6})\s*", decision.number)
        if bare:
            number = f"{int(bare.group(1)):02d}/QĐ-{_symbol(decision.agency)}"
            IssuingDecision.objects.filter(pk=decision.pk).update(number=number)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_revision_validity"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
