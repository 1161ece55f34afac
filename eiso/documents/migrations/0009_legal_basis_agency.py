"""Document.legal_bases through an explicit model (the same table) carrying the citing
document's agency, indexed with the text: a text's citations in a subtree are counted from the
index alone. The recipe of Django's "changing a ManyToManyField to use a through model": the
table is declared as it is, then the column is added and filled from the documents."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_agency(apps, schema_editor):
    LegalBasis = apps.get_model("documents", "LegalBasis")
    Document = apps.get_model("documents", "Document")
    of_document = Document.objects.filter(pk=OuterRef("document_id")).values("agency_id")[:1]
    LegalBasis.objects.update(agency_id=Subquery(of_document))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_drop_stored_currency"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LegalBasis",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="documents.document",
                            ),
                        ),
                        (
                            "externaldocument",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="documents.externaldocument",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "documents_document_legal_bases",
                        "unique_together": {("document", "externaldocument")},
                    },
                ),
                migrations.AlterField(
                    model_name="document",
                    name="legal_bases",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="documents",
                        through="documents.LegalBasis",
                        to="documents.externaldocument",
                        verbose_name="legal basis",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="legalbasis",
            name="agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.agency",
            ),
        ),
        migrations.RunPython(copy_agency, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="legalbasis",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.agency",
            ),
        ),
        migrations.AlterField(
            model_name="legalbasis",
            name="externaldocument",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="documents.externaldocument",
            ),
        ),
        migrations.AddIndex(
            model_name="legalbasis",
            index=models.Index(fields=["externaldocument", "agency"], name="legal_basis_citing"),
        ),
    ]
