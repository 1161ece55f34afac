"""``manage.py restore FILE [--force]``: bring a ``backup`` archive back into an empty database
and media folder, checksums verified before and rows after (see ``eiso/core/backup.py``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Restore a backup archive into an EMPTY database and media folder (stop the app "
            "first). Every checksum is verified before anything is written and every table is "
            "compared with the manifest after."
        )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("The archive written by manage.py backup."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Delete what the database and the media folder hold, then restore."),
        )

    def handle(self, *args, archive, force=False, verbosity: int = 1, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            outcome = restore_backup(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = outcome.manifest
        if verbosity >= 1:
            self.stdout.write(
                _(
                    "Restored %(path)s made on %(created)s: %(tables)s tables, %(rows)s rows and "
                    "%(files)s files, all identical to the manifest."
                )
                % {
                    "path": path,
                    "created": manifest["created_at"],
                    "tables": len(manifest["tables"]),
                    "rows": sum(t["rows"] for t in manifest["tables"].values()),
                    "files": len(manifest["files"]),
                }
            )
            for note in outcome.notes:
                self.stdout.write(note)
