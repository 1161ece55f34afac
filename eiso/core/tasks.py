"""Background work of the kernel. Without CELERY_BROKER_URL tasks run in-process, at once."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="eiso.core.run_import_job", ignore_result=True)
def run_import_job(batch_id: int) -> None:
    """Check (and import, when asked) one queued spreadsheet; progress and result are saved on
    its ``ImportBatch``."""
    from eiso.core.imports import run_import_job as run

    run(batch_id)


@shared_task(name="eiso.core.run_output_job", ignore_result=True)
def run_output_job(job_id: int) -> None:
    """Build one queued file (``eiso/core/jobs.py``); progress and result are saved on its
    ``OutputJob``."""
    from eiso.core.jobs import run_output_job as run

    run(job_id)
