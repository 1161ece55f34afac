"""``manage.py refresh_dossier_figures``: nightly (cron), dossiers that fell due without a
result become "overdue" in the monthly figures (imports keep them current otherwise)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from eiso.records.importing.engine import refresh_overdue


class Command(BaseCommand):
    help = "Recompute the monthly dossier figures whose overdue count changed as days passed."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="days looked back (default 7)")

    def handle(self, *args, **options):
        written = refresh_overdue(days=options["days"])
        self.stdout.write(self.style.SUCCESS(f"{written} monthly figure row(s) recomputed."))
