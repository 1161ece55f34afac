"""In-app notifications with an e-mail copy, sent after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from eiso.core.models import Notification


def notify(*, users: Iterable, agency, message: str, url: str = "", subject: str = "") -> int:
    """Notify ``users`` (deduplicated) about something in ``agency``. Returns how many."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    Notification.objects.bulk_create(
        [
            Notification(user=u, agency=agency, message=message[:500], url=url)
            for u in recipients.values()
        ]
    )
    mails = [
        (
            subject or message[:120],
            f"{message}\n\n{url}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [u.email],
        )
        for u in recipients.values()
        if u.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(recipients)


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def _links_to(path: str) -> Q:
    return Q(url=path) | Q(url__startswith=f"{path}#") | Q(url__startswith=f"{path}?")


def unread_after_visit(*, user, path: str) -> int:
    """Reading an object clears its notification: mark read the person's unread notifications
    that link to ``path`` (the page being shown) and return how many stay unread — one query,
    and a second only when something was cleared."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    counts = unread.aggregate(total=Count("pk"), here=Count("pk", filter=_links_to(path)))
    if counts["here"]:
        unread.filter(_links_to(path)).update(read_at=timezone.now())
    return counts["total"] - counts["here"]
