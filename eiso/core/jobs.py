"""Files prepared in the background: a report that can take longer than a few seconds (the
summary by tier of 5,000 agencies as DOCX or XLSX…) never ties up a web worker. The request
queues an ``OutputJob`` and sends the person to its page (``/jobs/<id>/``), which shows the
progress (polled with htmx) and then the download. With ``CELERY_BROKER_URL`` a Celery worker
builds the file; without a broker the job runs in-process at once (the page then opens on the
finished file), so a laptop needs nothing else.

An app declares what it can build in its own ``jobs.py`` (found at start-up)::

    from eiso.core import jobs

    @jobs.output("oversight.summary_docx")
    def summary_docx(*, user, params, progress) -> jobs.File:
        progress(10, _("Counting the agencies"))
        ...
        return jobs.File(name="Báo cáo.docx", content=data, content_type=DOCX_TYPE)

and starts it from a view with ``jobs.job_start(actor=…, kind=…, params=…, title=…)`` (the
parameters must be JSON: primary keys and ISO dates). The builder reads as the person who asked,
in the role they acted in (``scoping.act_as``): the same scope as the page.

Spreadsheet imports keep their own batch model (``ImportBatch``: a check, then a confirmation,
then the import in one transaction) and task; they share this module's way of running (Celery,
eager without a broker, progress polled by the page)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.models import OutputJob

logger = logging.getLogger(__name__)

# A second click (or a reload) within this time gets the job already asked for.
REUSE_WITHIN = datetime.timedelta(minutes=10)
# Files are kept this long, then removed when their owner asks for another.
KEEP_FOR = datetime.timedelta(days=2)


@dataclass(frozen=True)
class File:
    name: str
    content: bytes
    content_type: str


Progress = Callable[..., None]
Builder = Callable[..., File]

_BUILDERS: dict[str, Builder] = {}
_discovered = False


def output(kind: str) -> Callable[[Builder], Builder]:
    """Register the builder of one kind of file: ``build(*, user, params, progress) -> File``
    (``progress(percent, stage="")``)."""

    def register(build: Builder) -> Builder:
        _BUILDERS[kind] = build
        return build

    return register


def builder_for(kind: str) -> Builder:
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise ValidationFailed(_("Unknown kind of file: %(kind)s.") % {"kind": kind}) from None


# --- services ----------------------------------------------------------------------------------


def job_start(*, actor, kind: str, params: dict, title: str, agency=None) -> OutputJob:
    """Queue a file to build (or give back the same one asked for a moment ago and not failed).
    It is built once the transaction commits — in-process at once without a broker."""
    from eiso.core.scoping import acting_membership

    builder_for(kind)  # an unknown kind fails now, not in the worker
    membership = acting_membership(actor)
    recent = (
        OutputJob.objects.filter(
            created_by=actor,
            kind=kind,
            params=params,
            membership_id=membership.pk if membership else None,
            created_at__gte=timezone.now() - REUSE_WITHIN,
        )
        .exclude(status=OutputJob.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent
    _prune(actor)
    with transaction.atomic():
        job = OutputJob.objects.create(
            agency=agency,
            kind=kind,
            title=title[:300],
            params=params,
            created_by=actor,
            membership_id=membership.pk if membership else None,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from eiso.core.tasks import run_output_job

    run_output_job.delay(job_id)


def _prune(actor) -> None:
    """Remove the person's files older than KEEP_FOR (and their rows)."""
    old = OutputJob.objects.filter(
        created_by=actor, created_at__lt=timezone.now() - KEEP_FOR
    ).exclude(status__in=OutputJob.RUNNING)
    for job in old:
        if job.file:
            job.file.delete(save=False)
    old.delete()


class _Saver:
    """``progress(percent, stage)`` for a builder: saved when it moves (a plain update: the
    builder holds no transaction open, so the job page sees it at once)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = (-1, "")

    def __call__(self, percent: int, stage: str = "") -> None:
        percent = max(0, min(99, int(percent)))
        if (percent, stage) == self.last or (stage == self.last[1] and percent < self.last[0] + 5):
            return
        self.last = (percent, stage)
        OutputJob.objects.filter(pk=self.job_id).update(
            progress=percent, stage=str(stage)[:200], updated_at=timezone.now()
        )


def run_output_job(job_id: int) -> None:
    """Build a queued job's file (the Celery task's body). Failures end the job as failed with
    a message; nothing is raised."""
    from django.apps import apps

    from eiso.core.scoping import act_as

    Membership = apps.get_model("accounts", "Membership")  # a higher layer: by name

    claimed = OutputJob.objects.filter(pk=job_id, status=OutputJob.Status.QUEUED).update(
        status=OutputJob.Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return
    job = OutputJob.objects.select_related("created_by").get(pk=job_id)
    user = job.created_by
    try:
        if job.membership_id:
            membership = Membership.objects.filter(
                pk=job.membership_id, user=user, is_active=True
            ).first()
            if membership is None:  # the role ended meanwhile: nothing is read with it
                raise ValidationFailed(_("The role you asked for this file in has ended."))
            act_as(user, membership)
        built = builder_for(job.kind)(user=user, params=job.params, progress=_Saver(job_id))
        job.file.save(built.name, ContentFile(built.content), save=False)
        OutputJob.objects.filter(pk=job_id).update(
            status=OutputJob.Status.DONE,
            progress=100,
            stage="",
            file=job.file.name,
            filename=built.name[:255],
            content_type=built.content_type[:120],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    except (ValidationFailed, Http404) as exc:
        message = getattr(exc, "message", "") or _("The file could not be prepared.")
        _fail(job_id, str(message))
    except Exception:
        logger.exception("output job %s failed", job_id)
        _fail(job_id, _("The file could not be prepared because of an unexpected error."))


def _fail(job_id: int, message: str) -> None:
    OutputJob.objects.filter(pk=job_id).update(
        status=OutputJob.Status.FAILED,
        message=message,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


# --- selectors ---------------------------------------------------------------------------------


def job_get(*, user, pk) -> OutputJob:
    """One of the person's own jobs, else 404 (a job is never anyone else's to see)."""
    try:
        return OutputJob.objects.get(pk=pk, created_by=user)
    except (OutputJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
