"""Reads of the audit trail: admins everywhere, overseers in their subtree."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from eiso.core.models import AuditEvent, ImportBatch
from eiso.core.roles import Action


def audit_list(
    *,
    user,
    agency=None,
    username: str = "",
    person: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.visible_to(user, action=Action.AUDIT).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    if username:
        qs = qs.filter(actor__username__iexact=username.strip())
    if person.strip():
        text = person.strip()
        qs = qs.filter(Q(actor__username__iexact=text) | Q(actor_name__icontains=text))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-id")


def audit_object_types(*, user) -> list[str]:
    return list(
        AuditEvent.objects.visible_to(user, action=Action.AUDIT)
        .values_list("object_type", flat=True)
        .distinct()
        .order_by("object_type")
    )


def import_batch_get(*, user, pk) -> ImportBatch:
    """An import batch (a preview or a background job); only its uploader may see it."""
    try:
        return ImportBatch.objects.get(pk=pk, created_by=user)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def audit_get(*, user, pk) -> AuditEvent:
    """One audit event in the user's audit scope, else 404 (never 403)."""
    try:
        return (
            AuditEvent.objects.visible_to(user, action=Action.AUDIT)
            .select_related("agency")
            .get(pk=pk)
        )
    except (AuditEvent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def notification_list(*, user, unread_only: bool = False):
    """A person's own notifications, newest first."""
    from eiso.core.models import Notification

    qs = Notification.objects.filter(user=user).select_related("agency")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_notification_count(*, user) -> int:
    return notification_list(user=user, unread_only=True).count()
