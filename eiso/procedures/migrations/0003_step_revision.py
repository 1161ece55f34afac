"""Step tables belong to a revision of the ISO procedure (schema, part 1): the link to the
revision, nullable until the data migration fills it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_drop_stored_currency"),
        ("procedures", "0002_search_trgm"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedurestep",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="steps",
                to="documents.revision",
                verbose_name="revision",
            ),
        ),
    ]
