"""Dossier files imported in the background, followed on the kernel's job page
(``/imports/<id>/``: progress, then the imported count or every bad row).

A file is kept on its ``ImportBatch`` (an upload is at most MAX_UPLOAD_MB) until the job has
run; the job streams it through the engine, saving the rows done as it goes. The whole file is
imported or nothing (all-or-nothing); the uploaded content is then dropped."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError
from eiso.core.models import ImportBatch
from eiso.records.importing.engine import DossierLoad
from eiso.records.importing.importer import DossierImporter
from eiso.records.importing.sources import content_rows, estimate_rows

logger = logging.getLogger(__name__)
KIND = DossierImporter.kind


def dossier_import_start(*, actor, agency, filename: str, content: bytes, apply: bool = True):
    """Queue a dossier file: who may and the file's kind are checked now; the job runs once
    the batch is committed (in-process at once without a broker)."""
    load = DossierLoad(actor=actor, agency=agency, filename=filename)
    load.check_permission()
    rows = estimate_rows(filename, content)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            agency=agency,
            kind=KIND,
            filename=filename[:255],
            content=content,
            created_by=actor,
            status=ImportBatch.Status.QUEUED,
            apply_requested=apply,
            row_count=rows,
        )
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    from eiso.records.tasks import run_dossier_import

    run_dossier_import.delay(batch_id)


class Progress:
    """Saves the rows read on the batch as the job goes, so its page shows them. On
    PostgreSQL through a connection of its own: the job's connection is busy streaming rows
    into ``COPY``. Progress is a courtesy: a failure to save it never stops the import."""

    def __init__(self, batch_id: int, total: int) -> None:
        self.batch_id = batch_id
        self.total = total
        self.side = None

    def __call__(self, done: int) -> None:
        alias = router.db_for_write(ImportBatch)
        try:
            if connections[alias].vendor != "postgresql":
                ImportBatch.objects.filter(pk=self.batch_id).update(
                    rows_done=done, row_count=max(self.total, done)
                )
                return
            if self.side is None:
                self.side = connections.create_connection(alias)
            table = self.side.ops.quote_name(ImportBatch._meta.db_table)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s, row_count = %s WHERE id = %s",
                    [done, max(self.total, done), self.batch_id],
                )
        except DatabaseError:
            logger.warning("dossier import %s: progress not saved", self.batch_id, exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _finish(batch_id: int, status: str, **fields) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=status, finished_at=timezone.now(), updated_at=timezone.now(), **fields
    )


def run_dossier_import(batch_id: int) -> None:
    """The job's body: check every row with progress; when asked and every row is good,
    import them all in one transaction. Failures end the batch as "not imported" with the
    reason; nothing is raised."""
    claimed = ImportBatch.objects.filter(
        pk=batch_id, kind=KIND, status=ImportBatch.Status.QUEUED
    ).update(status=ImportBatch.Status.CHECKING, rows_done=0, updated_at=timezone.now())
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("agency", "created_by").get(pk=batch_id)
    progress = Progress(batch_id, batch.row_count)

    def writing() -> None:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.APPLYING)

    load = DossierLoad(actor=batch.created_by, agency=batch.agency, filename=batch.filename)
    try:
        result = load.run(
            content_rows(batch.filename, bytes(batch.content)),
            apply=batch.apply_requested,
            progress=progress,
            before_write=writing,
        )
    except ApplicationError as exc:
        _finish(batch_id, ImportBatch.Status.FAILED, result={"ok": False, "message": exc.message})
        return
    except Exception:
        logger.exception("dossier import %s failed", batch_id)
        message = _("The import stopped on an unexpected error; nothing was saved.")
        _finish(batch_id, ImportBatch.Status.FAILED, result={"ok": False, "message": message})
        return
    finally:
        progress.close()
    counts = {"row_count": result.rows, "rows_done": result.rows, "error_count": result.error_count}
    if result.applied:
        _finish(
            batch_id, ImportBatch.Status.APPLIED, content=b"", result=result.as_result(), **counts
        )
    elif result.ok:
        _finish(batch_id, ImportBatch.Status.PREVIEWED, result=result.as_result(), **counts)
    else:
        message = _("The file has %(n)s error(s); nothing was saved.") % {"n": result.error_count}
        _finish(
            batch_id,
            ImportBatch.Status.FAILED,
            content=b"",
            result=result.as_result(message=message),
            **counts,
        )
