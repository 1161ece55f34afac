"""``manage.py import_dossiers FILE``: import one-stop dossiers from the one-stop system's
export (CSV of any size, streamed; or XLSX), all rows or none; a dossier imported again is
updated. Rows go to the agency of ``--agency`` (code), or to the agency each row names in its
"Mã đơn vị" column (a province's export, imported by an administrator)."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eiso.core.errors import ApplicationError
from eiso.organizations.models import Agency
from eiso.records import services


class Command(BaseCommand):
    help = (
        "Import one-stop dossiers from a CSV (streamed, any size) or XLSX export: all rows or "
        "none; dossiers already imported are updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX; the first row holds the headings")
        parser.add_argument(
            "--as", dest="username", help="user name of the actor (default: first superuser)"
        )
        parser.add_argument(
            "--agency",
            help="code of the agency the rows belong to (default: the actor's agency; rows "
            "with an agency code column name their own)",
        )
        parser.add_argument("--check", action="store_true", help="check every row, save nothing")

    def actor(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError(
                f"No active user {username!r}." if username else "No active superuser exists."
            )
        return actor

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = self.actor(options.get("username"))
        agency = None
        if options.get("agency"):
            agency = Agency.objects.filter(code__iexact=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency {options['agency']!r}.")
        elif not actor.is_superuser:
            membership = actor.memberships.filter(is_active=True).select_related("agency").first()
            agency = membership.agency if membership else None
        verbose = options["verbosity"] > 1

        def progress(done: int) -> None:
            if verbose:
                self.stdout.write(f"  {done:,} rows read")

        started = time.perf_counter()
        try:
            result = services.dossiers_import_path(
                actor=actor,
                agency=agency,
                path=path,
                apply=not options["check"],
                progress=progress,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.perf_counter() - started
        if not result.ok:
            for error in result.errors:
                where = f"row {error.row}" if error.row else "file"
                self.stderr.write(f"{where} [{error.column}]: {error.message}")
            raise CommandError(f"{result.error_count} error(s); nothing was imported.")
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"{result.rows} row(s) checked, all valid."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} row(s) in {seconds:.1f} s: {result.created} new, "
                f"{result.updated} updated, {result.agencies} agencies, {result.cells} "
                "monthly figure rows recomputed."
            )
        )
