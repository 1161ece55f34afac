"""Schema (part 3): what was stored about which revision is current goes — the current
revision pointer and the superseded-at stamp were written when a decision was signed, so a
revision issued to take effect later showed as current at once. Both are computed from dates
now (``Revision.objects.in_force``). An issued revision must have its effective date."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_issued_revisions_and_numbers"),
    ]

    operations = [
        migrations.RemoveField(model_name="document", name="current_revision"),
        migrations.RemoveField(model_name="revision", name="superseded_at"),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "issued"), _negated=True)
                | models.Q(("effective_date__isnull", False)),
                name="revision_issued_has_effective_date",
            ),
        ),
    ]
