"""Marking what an agency shows on the public portal: an administrative procedure it handles
(with its ISO procedure's revision in force and step table) or a form or declared document.
Announcements are published on the announcement itself (``qms.services.announcement_publish``).
Keyword-only, one transaction, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.portal import rules
from eiso.portal.models import Publication, PublicationKind
from eiso.portal.selectors import PUBLISHABLE_KINDS


def _require_publisher(actor, agency) -> None:
    if not rules.can_publish(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head decide what is public."))


@transaction.atomic
def procedure_publish(*, actor, handled, published: bool = True) -> bool:
    """Show (or stop showing) one of the agency's handled procedures on the portal. Returns
    whether anything changed."""
    agency = handled.agency
    _require_publisher(actor, agency)
    if published and not handled.is_active:
        raise ValidationFailed(_("The agency no longer handles this procedure."))
    existing = Publication.objects.filter(
        agency=agency, kind=PublicationKind.PROCEDURE, procedure=handled.procedure
    )
    return _set(actor, agency, existing, published, procedure=handled.procedure)


@transaction.atomic
def document_publish(*, actor, document, published: bool = True) -> bool:
    """Show (or stop showing) a form or declared document: visitors see and download its
    revision in force, and nothing else of it."""
    agency = document.agency
    _require_publisher(actor, agency)
    if published and document.kind not in PUBLISHABLE_KINDS:
        raise ValidationFailed(_("Only forms and declared documents are shown to the public."))
    existing = Publication.objects.filter(
        agency=agency, kind=PublicationKind.DOCUMENT, document=document
    )
    return _set(actor, agency, existing, published, document=document)


def _set(actor, agency, existing, published: bool, **target) -> bool:
    row = existing.select_for_update().first()
    if published == (row is not None):
        return False
    if published:
        kind = PublicationKind.PROCEDURE if "procedure" in target else PublicationKind.DOCUMENT
        row = Publication.objects.create(agency=agency, kind=kind, published_by=actor, **target)
        audit_record(actor=actor, action="publication.publish", obj=row, changes={"kind": kind})
    else:
        audit_record(
            actor=actor,
            action="publication.withdraw",
            obj=row,
            changes={"kind": row.kind},
        )
        row.delete()
    return True
