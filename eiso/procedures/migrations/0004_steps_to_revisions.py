"""Data (part 2): each document's step table goes to its latest issued revision (else to its
newest revision); a revision in preparation after it gets a copy, as a new revision does."""

from django.db import migrations


def forwards(apps, schema_editor):
    ProcedureStep = apps.get_model("procedures", "ProcedureStep")
    Revision = apps.get_model("documents", "Revision")
    documents = ProcedureStep.objects.values_list("document_id", flat=True).distinct()
    for document_id in list(documents):
        revisions = Revision.objects.filter(document_id=document_id)
        base = revisions.filter(status="issued").order_by("-number").first()
        base = base or revisions.order_by("-number").first()
        if base is None:
            continue
        steps = list(ProcedureStep.objects.filter(document_id=document_id).order_by("number"))
        ProcedureStep.objects.filter(document_id=document_id).update(revision=base)
        for later in revisions.filter(
            number__gt=base.number, status__in=("draft", "in_review", "returned", "approved")
        ):
            ProcedureStep.objects.bulk_create(
                [
                    ProcedureStep(
                        agency_id=step.agency_id,
                        document_id=document_id,
                        revision=later,
                        number=step.number,
                        name=step.name,
                        responsible=step.responsible,
                        time_days=step.time_days,
                        forms_results=step.forms_results,
                    )
                    for step in steps
                ]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0003_step_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
