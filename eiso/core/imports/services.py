"""The import flows: check a file (a preview, nothing saved), import it all-or-nothing, and the
background job for large files (more than IMPORT_SYNC_ROWS rows) with its progress saved on the
batch. The pages, the API and the commands call these; so will any later importer (the one-stop
dossier import): nothing here knows a kind of import."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import ApplicationError, NotPermitted, ValidationFailed
from eiso.core.imports.base import ImportReport, importer_for
from eiso.core.imports.reading import count_rows, open_table, sync_rows
from eiso.core.models import ImportBatch

logger = logging.getLogger(__name__)

# What a batch keeps of a report for its result page (the rest is in the file itself).
RESULT_ERRORS = 1000
RESULT_BAD_ROWS = 200


def validate_file(
    *,
    actor,
    agency,
    kind: str,
    filename: str,
    content: bytes,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check a file: every bad cell and row reported, nothing saved."""
    importer = importer_for(kind)
    importer.check_permission(actor=actor, agency=agency)
    table = open_table(filename, content)
    return importer.validate(table, actor=actor, agency=agency, progress=progress)


@transaction.atomic
def import_file(*, actor, agency, kind: str, filename: str, content: bytes) -> ImportReport:
    """Check and import in one go (commands, the API, the demo): all rows or none."""
    report = validate_file(
        actor=actor, agency=agency, kind=kind, filename=filename, content=content
    )
    if report.ok:
        count = importer_for(kind).apply(report.cleaned, actor=actor, agency=agency)
        audit_record(
            actor=actor,
            action=f"import.{kind}",
            agency=agency,
            object_type="core.importbatch",
            changes={"file": filename, "rows": count},
        )
    return report


def result_of(report: ImportReport, **extra) -> dict:
    """A report as a batch keeps it (JSON): counts, the first errors, the first bad rows."""
    bad = report.bad_rows
    return {
        "ok": report.ok,
        "rows": len(report.rows),
        "error_count": len(report.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": str(e.message)}
            for e in report.errors[:RESULT_ERRORS]
        ],
        "bad_rows": [row for row in report.rows if row.get("_row") in bad][:RESULT_BAD_ROWS],
        **extra,
    }


def report_of(result: dict) -> ImportReport:
    """A batch's kept result as a report (for the same preview table)."""
    from eiso.core.imports.base import RowError

    return ImportReport(
        rows=list(result.get("bad_rows", [])),
        errors=[RowError(e["row"], e["column"], e["message"]) for e in result.get("errors", [])],
    )


# --- the page: preview, then confirm ----------------------------------------------------------


@transaction.atomic
def import_preview(
    *, actor, agency, kind: str, filename: str, content: bytes
) -> tuple[ImportBatch, ImportReport | None]:
    """Check an upload and keep it for confirmation; nothing of the data is saved. A file of more
    than IMPORT_SYNC_ROWS rows is checked in the background: the report is then None and the
    batch is the job to follow."""
    importer = importer_for(kind)
    importer.check_permission(actor=actor, agency=agency)
    rows = count_rows(filename, content)
    if rows > sync_rows():
        batch = _job_create(
            actor=actor, agency=agency, kind=kind, filename=filename, content=content, rows=rows
        )
        return batch, None
    report = validate_file(
        actor=actor, agency=agency, kind=kind, filename=filename, content=content
    )
    batch = ImportBatch.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=content,
        created_by=actor,
        status=ImportBatch.Status.PREVIEWED,
        row_count=len(report.rows),
        rows_done=len(report.rows),
        error_count=len(report.errors),
        result=result_of(report, errors=[], bad_rows=[]),
        finished_at=timezone.now(),
    )
    return batch, report


def _claim(*, actor, batch: ImportBatch) -> None:
    if batch.created_by_id != actor.pk:
        raise NotPermitted(_("Only the person who uploaded this file can confirm it."))


def import_apply(*, actor, batch: ImportBatch) -> int | None:
    """Import a checked batch: checked again (the data may have changed since), then every row
    written in one transaction, or none. Returns the number of rows imported — or None when the
    batch is large and was handed to the background (follow the batch)."""
    _claim(actor=actor, batch=batch)
    if batch.row_count > sync_rows():
        if batch.status == ImportBatch.Status.PREVIEWED and not (batch.result or {}).get("ok"):
            raise ValidationFailed(
                _("The file has %(n)s error(s); nothing was saved.") % {"n": batch.error_count}
            )
        with transaction.atomic():
            queued = ImportBatch.objects.filter(
                pk=batch.pk, created_by=actor, status=ImportBatch.Status.PREVIEWED
            ).update(
                status=ImportBatch.Status.QUEUED,
                apply_requested=True,
                rows_done=0,
                updated_at=timezone.now(),
            )
            if not queued:
                raise ValidationFailed(_("This file has already been processed."))
            _enqueue(batch.pk)
        return None
    return _apply_now(actor=actor, batch=batch)


@transaction.atomic
def _apply_now(*, actor, batch: ImportBatch) -> int:
    locked = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=batch.pk)
    )
    if locked.status != ImportBatch.Status.PREVIEWED:
        raise ValidationFailed(_("This file has already been processed."))
    report = validate_file(
        actor=actor,
        agency=locked.agency,
        kind=locked.kind,
        filename=locked.filename,
        content=bytes(locked.content),
    )
    if not report.ok:
        raise ValidationFailed(
            _("The file has %(n)s error(s); nothing was saved.") % {"n": len(report.errors)}
        )
    count = importer_for(locked.kind).apply(report.cleaned, actor=actor, agency=locked.agency)
    locked.status = ImportBatch.Status.APPLIED
    locked.result = {**(locked.result or {}), "imported": count}
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "result", "finished_at", "updated_at"])
    audit_record(
        actor=actor,
        action=f"import.{locked.kind}",
        obj=locked,
        changes={"file": locked.filename, "rows": count},
    )
    return count


# --- background jobs ----------------------------------------------------------------------------


def _enqueue(batch_id: int) -> None:
    """Run the job once the batch is committed (in-process at once when no broker is set)."""
    from eiso.core.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.delay(batch_id))


@transaction.atomic
def import_job_start(
    *, actor, agency, kind: str, filename: str, content: bytes, apply: bool
) -> ImportBatch:
    """Queue a file for a background check (and import, when ``apply``: all rows or none). The
    row limit and the permission are checked now; the job's progress and result are saved on
    the returned batch."""
    importer = importer_for(kind)
    importer.check_permission(actor=actor, agency=agency)
    rows = count_rows(filename, content)
    return _job_create(
        actor=actor,
        agency=agency,
        kind=kind,
        filename=filename,
        content=content,
        rows=rows,
        apply=apply,
    )


def _job_create(
    *, actor, agency, kind: str, filename: str, content: bytes, rows: int, apply: bool = False
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=content,
        created_by=actor,
        status=ImportBatch.Status.QUEUED,
        apply_requested=apply,
        row_count=rows,
    )
    _enqueue(batch.pk)
    return batch


class _Progress:
    """Saves ``rows_done`` on the batch as the job goes. While the rows are checked it is a
    plain update. While they are saved (inside the import's one transaction) the count is
    written through a second connection on PostgreSQL, so the progress page sees it before the
    commit; SQLite allows one writer, so there the count waits for the end."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.side = None
        self.saving = False

    def __call__(self, done: int) -> None:
        if not self.saving:
            ImportBatch.objects.filter(pk=self.batch_id).update(rows_done=done)
            return
        alias = router.db_for_write(ImportBatch)
        if connections[alias].vendor != "postgresql":
            return
        try:
            if self.side is None:
                self.side = connections.create_connection(alias)
            table = self.side.ops.quote_name(ImportBatch._meta.db_table)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s WHERE id = %s", [done, self.batch_id]
                )
        except DatabaseError:  # progress is a courtesy: never fail the import for it
            logger.warning("import job %s: progress not saved", self.batch_id, exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _finish(batch_id: int, status: str, **fields) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=status, finished_at=timezone.now(), updated_at=timezone.now(), **fields
    )


def run_import_job(batch_id: int) -> None:
    """Run a queued batch (the Celery task's body): check every row with progress, keep the
    report; when the import was asked and every row is good, import all rows in one transaction
    (or none). Failures end the batch as "not imported" with the reason; nothing is raised."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.CHECKING, rows_done=0, updated_at=timezone.now()
    )
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("agency", "created_by").get(pk=batch_id)
    progress = _Progress(batch_id)
    try:
        _run(batch, progress)
    except ApplicationError as exc:
        _finish(batch_id, ImportBatch.Status.FAILED, result={"ok": False, "message": exc.message})
    except Exception:
        logger.exception("import job %s failed", batch_id)
        message = _("The import stopped on an unexpected error; nothing was saved.")
        _finish(batch_id, ImportBatch.Status.FAILED, result={"ok": False, "message": message})
    finally:
        progress.close()


def _run(batch: ImportBatch, progress: _Progress) -> None:
    actor, agency = batch.created_by, batch.agency
    report = validate_file(
        actor=actor,
        agency=agency,
        kind=batch.kind,
        filename=batch.filename,
        content=bytes(batch.content),
        progress=progress,
    )
    counts = {
        "row_count": len(report.rows),
        "rows_done": len(report.rows),
        "error_count": len(report.errors),
    }
    if not batch.apply_requested:
        _finish(batch.pk, ImportBatch.Status.PREVIEWED, result=result_of(report), **counts)
        return
    if not report.ok:
        message = _("The file has %(n)s error(s); nothing was saved.") % {"n": len(report.errors)}
        _finish(
            batch.pk, ImportBatch.Status.FAILED, result=result_of(report, message=message), **counts
        )
        return
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING, **{**counts, "rows_done": 0}
    )
    progress.saving = True
    with transaction.atomic():
        count = importer_for(batch.kind).apply(
            report.cleaned, actor=actor, agency=agency, progress=progress
        )
        audit_record(
            actor=actor,
            action=f"import.{batch.kind}",
            obj=batch,
            agency=agency,
            changes={"file": batch.filename, "rows": count},
        )
        _finish(
            batch.pk,
            ImportBatch.Status.APPLIED,
            rows_done=len(report.rows),
            result=result_of(report, imported=count),
        )
