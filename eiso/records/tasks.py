"""Background work of the records app. Without CELERY_BROKER_URL tasks run in-process."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="eiso.records.run_dossier_import", ignore_result=True)
def run_dossier_import(batch_id: int) -> None:
    """Import one queued dossier file (progress and result saved on its ``ImportBatch``)."""
    from eiso.records.importing.jobs import run_dossier_import as run

    run(batch_id)


@shared_task(name="eiso.records.refresh_overdue", ignore_result=True)
def refresh_overdue() -> None:
    """Nightly: dossiers that fell due without a result become overdue in the figures."""
    from eiso.records.importing.engine import refresh_overdue as refresh

    refresh()
