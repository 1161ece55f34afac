"""Schema (part 3): a step belongs to exactly one revision; the direct link to the document
goes (the table in force is that of the revision in force)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0004_steps_to_revisions"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="procedurestep", name="step_unique_number"),
        migrations.RemoveField(model_name="procedurestep", name="document"),
        migrations.AlterField(
            model_name="procedurestep",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="steps",
                to="documents.revision",
                verbose_name="revision",
            ),
        ),
        migrations.AlterModelOptions(
            name="procedurestep",
            options={
                "ordering": ["revision", "number"],
                "verbose_name": "procedure step",
                "verbose_name_plural": "procedure steps",
            },
        ),
        migrations.AddConstraint(
            model_name="procedurestep",
            constraint=models.UniqueConstraint(
                fields=("revision", "number"), name="step_unique_number_in_revision"
            ),
        ),
    ]
