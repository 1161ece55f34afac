# Import batches become background jobs too: progress, result, status of the job.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_import_batch_status_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="apply_requested",
            field=models.BooleanField(
                default=False,
                help_text="Save the rows once checked (not only a preview).",
                verbose_name="import when valid",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="result",
            field=models.JSONField(blank=True, default=dict, verbose_name="result"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="rows_done",
            field=models.PositiveIntegerField(default=0, verbose_name="rows done"),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting"),
                    ("checking", "Checking the rows"),
                    ("previewed", "Checked"),
                    ("applying", "Saving"),
                    ("applied", "Imported"),
                    ("failed", "Not imported"),
                ],
                default="previewed",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
