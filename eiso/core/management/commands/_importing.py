"""Shared shell of the ``import_*`` management commands: read the file, run the import as a
named user (default: the first active superuser), print every bad row, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eiso.core.errors import ApplicationError
from eiso.core.imports import import_file


class ImportCommand(BaseCommand):
    import_kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX or CSV file; the first row holds the column names")
        parser.add_argument(
            "--as", dest="username", help="user name of the actor (default: first superuser)"
        )

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
        membership = actor.memberships.filter(is_active=True).select_related("agency").first()
        try:
            report = import_file(
                actor=actor,
                agency=membership.agency if membership else None,
                kind=self.import_kind,
                filename=path.name,
                content=path.read_bytes(),
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if not report.ok:
            for error in report.errors:
                where = f"row {error.row}" if error.row else "file"
                self.stderr.write(f"{where} [{error.column}]: {error.message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(report.cleaned)} row(s)."))
