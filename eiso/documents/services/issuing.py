"""Issuing decisions: one decision issues, amends or replaces several approved revisions at
once; the previous revision of each document is superseded in the same transaction; the
people concerned are asked to read the new one."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import InvalidTransition, ValidationFailed
from eiso.core.files import JPEG, PDF, PNG, check_upload
from eiso.core.notifications import notify
from eiso.core.text import clashes
from eiso.documents import rules
from eiso.documents.choices import DecisionStatus, RevisionAction, RevisionStatus
from eiso.documents.models import Acknowledgement, IssuingDecision, Revision
from eiso.documents.services._common import check_effective_date, move, record, require
from eiso.documents.services.legal import close_tasks_for

DECISION_FIELDS = ("number", "date", "subject", "signer_name", "signer_title")


def _require_issuer(actor, agency) -> None:
    require(
        rules.can_issue(actor, agency),
        _("Only the head or the ISO secretary can prepare issuing decisions."),
    )


def _check_revisions(agency, revisions, decision: IssuingDecision | None = None) -> None:
    if not revisions:
        message = _("Choose at least one approved revision.")
        raise ValidationFailed(message, fields={"revisions": [message]})
    for revision in revisions:
        if revision.agency_id != agency.pk:
            raise ValidationFailed(_("A revision of another agency cannot be issued here."))
        if revision.status != RevisionStatus.APPROVED:
            message = _("%(revision)s is not approved: it cannot be issued.") % {
                "revision": revision
            }
            raise InvalidTransition(message)
        if revision.decision_id and (decision is None or revision.decision_id != decision.pk):
            raise ValidationFailed(
                _("%(revision)s is already in another decision.") % {"revision": revision}
            )


def _check_number_free(
    agency, number: str, exclude_pk: int, date: datetime.date | None = None
) -> None:
    """Decision numbers restart every year: unique in the agency within the year of the
    decision's date, whatever the case (SQLite's iexact does not fold letters such as Đ)."""
    if not number:
        return
    taken = IssuingDecision.objects.filter(agency=agency).exclude(pk=exclude_pk).exclude(number="")
    if date is not None:
        taken = taken.filter(date__year=date.year)
    if clashes(number, taken.values_list("number", flat=True)):
        message = _("The decision number %(number)s is already used.") % {"number": number}
        raise ValidationFailed(message, fields={"number": [message]})


@transaction.atomic
def decision_create(
    *,
    actor,
    agency,
    subject: str,
    signer_name: str,
    signer_title: str,
    revisions,
    number: str = "",
    date: datetime.date | None = None,
) -> IssuingDecision:
    """A draft decision over approved revisions (its DOCX/PDF draft can then be generated)."""
    _require_issuer(actor, agency)
    revisions = list(Revision.objects.select_for_update().filter(pk__in=[r.pk for r in revisions]))
    _check_revisions(agency, revisions)
    decision = IssuingDecision.objects.create(
        agency=agency,
        subject=subject.strip(),
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        number=number.strip(),
        date=date,
        created_by=actor,
    )
    _check_number_free(agency, decision.number, decision.pk, decision.date)
    Revision.objects.filter(pk__in=[r.pk for r in revisions]).update(decision=decision)
    audit_record(
        actor=actor,
        action="decision.create",
        obj=decision,
        changes={**snapshot(decision, DECISION_FIELDS), "revisions": [str(r) for r in revisions]},
    )
    return decision


@transaction.atomic
def decision_update(
    *, actor, decision: IssuingDecision, data: dict, revisions=None
) -> IssuingDecision:
    locked = (
        IssuingDecision.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=decision.pk)
    )
    _require_issuer(actor, locked.agency)
    if locked.status != DecisionStatus.DRAFT:
        raise InvalidTransition(_("A signed decision cannot be changed."))
    before = snapshot(locked, DECISION_FIELDS)
    for name in DECISION_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_number_free(locked.agency, locked.number, locked.pk, locked.date)
    locked.save()
    if revisions is not None:
        revisions = list(
            Revision.objects.select_for_update().filter(pk__in=[r.pk for r in revisions])
        )
        _check_revisions(locked.agency, revisions, locked)
        locked.revisions.exclude(pk__in=[r.pk for r in revisions]).update(decision=None)
        Revision.objects.filter(pk__in=[r.pk for r in revisions]).update(decision=locked)
    changes = changes_between(before, snapshot(locked, DECISION_FIELDS))
    audit_record(actor=actor, action="decision.update", obj=locked, changes=changes)
    return locked


def _readers(revision: Revision):
    """The people an issued revision concerns: members of its distribution departments, or
    of the whole agency when none is set."""
    document = revision.document
    departments = list(document.distribution.values_list("pk", flat=True))
    members = Membership.objects.filter(agency=revision.agency, is_active=True).select_related(
        "user"
    )
    if departments:
        members = members.filter(Q(department__in=departments))
    return {m.user for m in members}


def _issue(revision: Revision, decision: IssuingDecision, actor) -> None:
    revision.effective_date = revision.effective_date or decision.date
    check_effective_date(revision, revision.effective_date)
    now = timezone.now()
    document = revision.document
    previous = Revision.objects.select_for_update().filter(
        document=document, status=RevisionStatus.ISSUED
    )
    for old in previous:
        move(old, RevisionAction.SUPERSEDE)
        old.superseded_at = now
        old.save()
        record(old, RevisionAction.SUPERSEDE, actor, str(revision))
    move(revision, RevisionAction.ISSUE)
    revision.issued_at = now
    revision.save()
    record(revision, RevisionAction.ISSUE, actor, decision.number)
    document.current_revision = revision
    document.save(update_fields=["current_revision", "updated_at"])
    close_tasks_for(document, revision)
    readers = _readers(revision)
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(agency=revision.agency, revision=revision, user=u) for u in readers],
        ignore_conflicts=True,
    )
    notify(
        users=readers,
        agency=revision.agency,
        message=_("New revision issued: %(document)s, revision %(n)s — please read it.")
        % {"document": f"{document.code} {document.title}", "n": f"{revision.number:02d}"},
        url=reverse("documents:detail", args=[document.pk]),
    )


@transaction.atomic
def decision_sign(
    *, actor, decision: IssuingDecision, number: str, date: datetime.date, signed_scan=None
) -> IssuingDecision:
    """Record the signed decision (number, date, optional scan) and issue every revision in
    it; the previous revision of each document is superseded in this same transaction."""
    locked = (
        IssuingDecision.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=decision.pk)
    )
    _require_issuer(actor, locked.agency)
    if locked.status != DecisionStatus.DRAFT:
        raise InvalidTransition(_("This decision is already signed."))
    number = number.strip()
    if not number or date is None:
        message = _("A signed decision needs its number and date.")
        raise ValidationFailed(
            message, fields={"number": [message]} if not number else {"date": [message]}
        )
    _check_number_free(locked.agency, number, locked.pk, date)
    revisions = list(
        Revision.objects.select_for_update(of=("self",))
        .select_related("document", "agency")
        .filter(decision=locked)
        .order_by("document__code")
    )
    _check_revisions(locked.agency, revisions, locked)
    locked.number, locked.date = number, date
    locked.status = DecisionStatus.SIGNED
    locked.signed_at = timezone.now()
    if signed_scan is not None:
        checked = check_upload(signed_scan, allowed=(PDF, PNG, JPEG), field="signed_scan")
        locked.signed_file = checked.content
        locked.signed_file_name = checked.original_name
    locked.save()
    for revision in revisions:
        _issue(revision, locked, actor)
    audit_record(
        actor=actor,
        action="decision.sign",
        obj=locked,
        changes={"number": number, "date": date, "issued": [str(r) for r in revisions]},
    )
    return locked


@transaction.atomic
def decision_attach_scan(*, actor, decision: IssuingDecision, upload) -> IssuingDecision:
    """Attach (or replace) the signed scan of a signed decision."""
    locked = (
        IssuingDecision.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=decision.pk)
    )
    _require_issuer(actor, locked.agency)
    if locked.status != DecisionStatus.SIGNED:
        raise InvalidTransition(_("Sign the decision (number and date) first."))
    checked = check_upload(upload, allowed=(PDF, PNG, JPEG), field="signed_scan")
    previous = locked.signed_file_name
    locked.signed_file = checked.content
    locked.signed_file_name = checked.original_name
    locked.save()
    audit_record(
        actor=actor,
        action="decision.attach_scan",
        obj=locked,
        changes={"signed_scan": [previous, checked.original_name]},
    )
    return locked
