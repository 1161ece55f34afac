"""Read acknowledgements and the quarterly master-list review."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.roles import Action
from eiso.core.scoping import user_may
from eiso.documents import rules
from eiso.documents.models import Acknowledgement, MasterListReview, Revision


@transaction.atomic
def revision_acknowledge(*, actor, revision: Revision) -> Acknowledgement:
    """Confirm having read an issued revision: those it was distributed to, and any other
    member of the agency who reads it."""
    if not Revision.objects.live().filter(pk=revision.pk).exists():
        raise InvalidTransition(
            _("Only an issued revision in force, or about to be, can be acknowledged.")
        )
    acknowledgement = (
        Acknowledgement.objects.select_for_update().filter(revision=revision, user=actor).first()
    )
    if acknowledgement is None:
        if not user_may(actor, Action.CHANGE, revision.agency):
            raise NotPermitted(_("Only people of this agency confirm reading its documents."))
        acknowledgement = Acknowledgement.objects.create(
            agency=revision.agency, revision=revision, user=actor
        )
    if acknowledgement.acknowledged_at is None:
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save(update_fields=["acknowledged_at", "updated_at"])
        audit_record(actor=actor, action="revision.acknowledge", obj=revision)
    return acknowledgement


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@transaction.atomic
def master_list_review_record(
    *, actor, agency, reviewed_on: datetime.date, result: str, notes: str = ""
) -> MasterListReview:
    """Record the quarterly review of the agency's master list of documents."""
    if not rules.can_draft(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head can record this review."))
    if reviewed_on > timezone.localdate():
        message = _("The review date cannot be in the future.")
        raise ValidationFailed(message, fields={"reviewed_on": [message]})
    if result not in MasterListReview.Result.values:
        raise ValidationFailed(_("Unknown result."), fields={"result": [_("Unknown result.")]})
    year, quarter = quarter_of(reviewed_on)
    review = MasterListReview.objects.create(
        agency=agency,
        year=year,
        quarter=quarter,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        result=result,
        notes=notes.strip(),
    )
    audit_record(
        actor=actor,
        action="master_list.review",
        obj=review,
        changes={"quarter": f"{quarter}/{year}", "result": result},
    )
    return review
