"""``manage.py send_reminders [--date DD/MM/YYYY]``: the day's reminders of the annual
obligations, for cron where there is no Celery broker (the same service as the beat task; run
both or twice, nothing is sent twice)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from eiso.cycle import services


def _day(text: str) -> datetime.date:
    for shape in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, shape).date()
        except ValueError:
            continue
    raise CommandError(f"--date {text!r}: give a day as DD/MM/YYYY or YYYY-MM-DD.")


class Command(BaseCommand):
    help = "Send the day's reminders and escalations of the annual obligations (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="the day to run for (default today)")

    def handle(self, *args, **options):
        on = _day(options["date"]) if options["date"] else timezone.localdate()
        run = services.reminders_send(on=on)
        sent = ", ".join(f"{stage} {count}" for stage, count in sorted(run.sent.items()))
        self.stdout.write(
            f"{on:%d/%m/%Y}: {run.computed} obligations computed; sent {run.total}"
            f" ({sent or 'none'}); already sent {run.already}; "
            f"unreachable {len(run.unreachable)}"
        )
        for agency, title in run.unreachable[:20]:
            self.stdout.write(f"  nobody to remind in {agency}: {title}")
