"""``manage.py seed_demo``: the demo province, built through the services (see builders.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.demo.builders import (
    DemoDataError,
    build_demo,
    format_logins,
    format_procedures,
    format_qms,
    format_summary,
    format_totals,
)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _(
            "Build the fictional demo province (agencies, departments, users of every role, the "
            "document control of the agencies that have an ISO secretary and a head, and the "
            "administrative procedures: catalogue, handled procedures, ISO procedures' step "
            "tables, and the QMS records: announcements, steering committees, reminders). "
            "Safe to run again: what already exists is left alone."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help=_("Do not print the table of demo logins.")
        )

    def handle(self, *args, quiet: bool = False, verbosity: int = 1, **options):
        try:
            result = build_demo()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(format_summary(result.tally))
            self.stdout.write(format_totals(result.totals))
            self.stdout.write(format_procedures(result.procedures))
            self.stdout.write(format_qms(result.qms))
        if not quiet:
            self.stdout.write(format_logins(result.logins))
