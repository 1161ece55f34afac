"""Validity of issued revisions becomes computed from dates (schema, part 1): the statuses
lose "superseded" (a revision no longer in force is an issued one that a later issued
revision replaced from its effective date) and decisions gain "discarded"; an index for the
validity subqueries."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_list_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="revision",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("returned", "Returned for changes"),
                    ("approved", "Approved"),
                    ("issued", "Issued"),
                ],
                default="draft",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="issuingdecision",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("signed", "Signed and issued"),
                    ("discarded", "Discarded"),
                ],
                default="draft",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(
                fields=["document", "status", "number"], name="revision_document_status"
            ),
        ),
    ]
