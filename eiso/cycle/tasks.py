"""The annual cycle's periodic work (Celery beat, config/settings.py CELERY_BEAT_SCHEDULE): a
thin shell around the service, as ``manage.py send_reminders`` is for cron."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from eiso.cycle import services


@shared_task(name="eiso.cycle.send_reminders")
def send_reminders() -> dict:
    """Today's reminders and escalations (each sent once, whoever runs it)."""
    run = services.reminders_send(on=timezone.localdate())
    return {
        "on": run.on.isoformat(),
        "computed": run.computed,
        "sent": dict(run.sent),
        "already": run.already,
        "unreachable": len(run.unreachable),
    }
