# Announcements may be returned for correction by the overseer and drafts discarded; every step
# of an announcement is kept in its history (AnnouncementEvent).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_agency_search_trgm"),
        ("qms", "0002_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="announcement",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("signed", "Signed"),
                    ("sent", "Sent to the overseer"),
                    ("received", "Received by the overseer"),
                    ("returned", "Returned for correction"),
                    ("discarded", "Draft discarded"),
                ],
                default="draft",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="AnnouncementEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "Draft prepared"),
                            ("edit", "Draft edited"),
                            ("discard", "Draft discarded"),
                            ("sign", "Signing recorded"),
                            ("attach_scan", "Signed scan attached"),
                            ("correct", "Corrected"),
                            ("send", "Sent to the overseer"),
                            ("return", "Returned for correction"),
                            ("receive", "Receipt acknowledged"),
                            ("publish", "Publication changed"),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "announcement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="qms.announcement",
                    ),
                ),
            ],
            options={
                "verbose_name": "announcement event",
                "verbose_name_plural": "announcement events",
                "ordering": ["created_at", "id"],
            },
        ),
    ]
