"""``manage.py backup [--output FILE]``: the database and the uploaded files in one archive with
a manifest and checksums (see ``eiso/core/backup.py`` and README, "Backup and restore")."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.backup import BackupError, create_backup


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _(
            "Write one .tar.gz archive with the database (SQLite online backup or pg_dump) and "
            "the uploaded files, with a manifest: versions, migrations, rows per table, the "
            "sha256 of every file."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=_("The archive to write (default: data/backups/eiso-backup-<time>.tar.gz)."),
        )

    def handle(self, *args, output=None, verbosity: int = 1, **options):
        try:
            outcome = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = outcome.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        if verbosity >= 1:
            self.stdout.write(
                _("Backup written: %(path)s (%(tables)s tables, %(rows)s rows, %(files)s files).")
                % {
                    "path": outcome.path,
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": len(manifest["files"]),
                }
            )
