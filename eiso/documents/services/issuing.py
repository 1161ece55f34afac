"""Issuing decisions: one decision issues, amends or replaces several approved revisions at
once. Signing it issues them: each takes effect on its effective date (the decision's date
when none was set), and the previous revision of each document stays in force until then —
computed from the dates (``Revision.objects.in_force``), so no row is written when the day
comes. The people concerned are asked to read the new revisions.

A draft decision can be edited and discarded (it is kept, marked discarded, and its revisions
are free again); a signed one never changes but for its signed scan."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core import workflow
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import InvalidTransition, ValidationFailed
from eiso.core.files import JPEG, PDF, PNG, check_upload
from eiso.core.notifications import notify
from eiso.core.roles import Role
from eiso.documents import rules
from eiso.documents.choices import DecisionAction, DecisionStatus, RevisionAction
from eiso.documents.models import Acknowledgement, IssuingDecision, Revision
from eiso.documents.numbering import official_number, sequence_of
from eiso.documents.services._common import (
    document_search_text,
    document_url,
    record,
    require,
)
from eiso.documents.services.legal import close_tasks_for
from eiso.documents.workflows import DECISION, REVISION, check_effective_dates

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
        if REVISION.find(revision.status, RevisionAction.ISSUE) is None:  # not approved
            message = _("%(revision)s is not approved: it cannot be issued.") % {
                "revision": revision
            }
            raise InvalidTransition(message)
        if revision.decision_id and (decision is None or revision.decision_id != decision.pk):
            raise ValidationFailed(
                _("%(revision)s is already in another decision.") % {"revision": revision}
            )


def _check_number_free(
    agency, number: str, exclude_pk: int | None, date: datetime.date | None = None
) -> None:
    """Decision numbers restart every year: unique in the agency within the year of the
    decision's date (a discarded draft holds no number)."""
    sequence = sequence_of(number)
    if sequence is None:
        return
    taken = (
        IssuingDecision.objects.filter(agency=agency)
        .exclude(pk=exclude_pk)
        .exclude(number="")
        .exclude(status=DecisionStatus.DISCARDED)
    )
    if date is not None:
        taken = taken.filter(Q(date__year=date.year) | Q(date__isnull=True))
    if any(sequence_of(n) == sequence for n in taken.values_list("number", flat=True)):
        message = _("The decision number %(number)s is already used.") % {"number": number}
        raise ValidationFailed(message, fields={"number": [message]})


def _lock_decision(decision: IssuingDecision) -> IssuingDecision:
    return workflow.lock(decision, related=("agency",))


def _lock_revisions(pks) -> list[Revision]:
    return list(
        Revision.objects.select_for_update(of=("self",))
        .select_related("document", "agency")
        .filter(pk__in=list(pks))
        .order_by("document__code")
    )


def _heads(agency) -> list:
    members = Membership.objects.filter(agency=agency, role=Role.HEAD, is_active=True)
    return [m.user for m in members.select_related("user")]


def decision_url(decision: IssuingDecision) -> str:
    return reverse("documents:decision_detail", args=[decision.pk])


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
    """A draft decision over approved revisions (its DOCX/PDF draft can then be generated);
    the head is told there is a decision to sign. ``number``: "45" or "45/QĐ-STP"."""
    _require_issuer(actor, agency)
    number = official_number(number, agency=agency)
    revisions = _lock_revisions(r.pk for r in revisions)
    _check_revisions(agency, revisions)
    check_effective_dates(date, revisions)
    _check_number_free(agency, number, None, date)
    decision = IssuingDecision.objects.create(
        agency=agency,
        subject=subject.strip(),
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        number=number,
        date=date,
        created_by=actor,
    )
    Revision.objects.filter(pk__in=[r.pk for r in revisions]).update(decision=decision)
    audit_record(
        actor=actor,
        action="decision.create",
        obj=decision,
        changes={**snapshot(decision, DECISION_FIELDS), "revisions": [str(r) for r in revisions]},
    )
    notify(
        users=[u for u in _heads(agency) if u.pk != actor.pk],
        agency=agency,
        message=_("A draft decision is waiting for your signature: %(subject)s")
        % {"subject": decision.subject},
        url=decision_url(decision),
    )
    return decision


@transaction.atomic
def decision_update(
    *, actor, decision: IssuingDecision, data: dict, revisions=None
) -> IssuingDecision:
    """Change a draft decision (a signed one never changes)."""
    locked = _lock_decision(decision)
    DECISION.check(actor=actor, obj=locked, action=DecisionAction.EDIT)
    before = snapshot(locked, DECISION_FIELDS)
    if "number" in data:
        data = {**data, "number": official_number(data["number"] or "", agency=locked.agency)}
    for name in DECISION_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_number_free(locked.agency, locked.number, locked.pk, locked.date)
    if revisions is not None:
        revisions = _lock_revisions(r.pk for r in revisions)
        _check_revisions(locked.agency, revisions, locked)
    check_effective_dates(
        locked.date, revisions if revisions is not None else list(locked.revisions.all())
    )
    locked.save()
    changes = changes_between(before, snapshot(locked, DECISION_FIELDS))
    if revisions is not None:
        kept = sorted(str(r) for r in locked.revisions.select_related("document"))
        locked.revisions.exclude(pk__in=[r.pk for r in revisions]).update(decision=None)
        Revision.objects.filter(pk__in=[r.pk for r in revisions]).update(decision=locked)
        wanted = sorted(str(r) for r in revisions)
        if kept != wanted:
            changes["revisions"] = [kept, wanted]
    audit_record(actor=actor, action="decision.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def decision_discard(*, actor, decision: IssuingDecision, reason: str = "") -> IssuingDecision:
    """Discard a draft decision: it is kept, marked discarded, and its revisions may go into
    another decision. A signed decision is never discarded nor deleted."""
    locked = _lock_decision(decision)
    released = [str(r) for r in locked.revisions.select_related("document")]
    DECISION.apply(
        actor=actor,
        obj=locked,
        action=DecisionAction.DISCARD,
        changes={"revisions": released},
        reason=reason.strip(),
    )
    locked.revisions.update(decision=None)
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
    """Issue one revision of the signed decision. The revision in force so far is not
    touched: it stays in force until this one's effective date."""
    revision.effective_date = revision.effective_date or decision.date
    revision.issued_at = timezone.now()
    REVISION.apply(
        actor=actor,
        obj=revision,
        action=RevisionAction.ISSUE,
        changes={"effective_date": revision.effective_date, "decision": decision.number},
        update_fields=["effective_date", "issued_at"],
    )
    record(revision, RevisionAction.ISSUE, actor, decision.number)
    document = revision.document
    document.search_text = document_search_text(document)  # now the issued summary's words
    document.save(update_fields=["search_text", "updated_at"])
    close_tasks_for(document, revision)
    readers = _readers(revision)
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(agency=revision.agency, revision=revision, user=u) for u in readers],
        ignore_conflicts=True,
    )
    notify(
        users=readers,
        agency=revision.agency,
        message=_(
            "New revision issued: %(document)s, revision %(n)s, in force from %(date)s — "
            "please read it."
        )
        % {
            "document": f"{document.code} {document.title}",
            "n": f"{revision.number:02d}",
            "date": revision.effective_date.strftime("%d/%m/%Y"),
        },
        url=document_url(document),
    )


@transaction.atomic
def decision_sign(
    *, actor, decision: IssuingDecision, number: str, date: datetime.date, signed_scan=None
) -> IssuingDecision:
    """Record the signed decision (number, date, optional scan) and issue every revision in
    it. A decision is not signed on a day still to come, and none of its revisions takes
    effect before it is signed."""
    locked = _lock_decision(decision)
    if DECISION.find(locked.status, DecisionAction.SIGN) is None:
        DECISION.check(actor=actor, obj=locked, action=DecisionAction.SIGN)  # says why not
    locked.number = official_number(number, agency=locked.agency)
    locked.date = date
    _check_number_free(locked.agency, locked.number, locked.pk, date)
    revisions = _lock_revisions(locked.revisions.values_list("pk", flat=True))
    _check_revisions(locked.agency, revisions, locked)
    locked.signed_at = timezone.now()
    if signed_scan is not None:
        checked = check_upload(signed_scan, allowed=(PDF, PNG, JPEG), field="signed_scan")
        locked.signed_file = checked.content
        locked.signed_file_name = checked.original_name
    DECISION.apply(
        actor=actor,
        obj=locked,
        action=DecisionAction.SIGN,
        changes={"number": locked.number, "date": date, "issued": [str(r) for r in revisions]},
    )
    for revision in revisions:
        _issue(revision, locked, actor)
    return locked


@transaction.atomic
def decision_attach_scan(*, actor, decision: IssuingDecision, upload) -> IssuingDecision:
    """Attach (or replace) the signed scan of a signed decision."""
    locked = _lock_decision(decision)
    DECISION.check(actor=actor, obj=locked, action=DecisionAction.ATTACH_SCAN)
    checked = check_upload(upload, allowed=(PDF, PNG, JPEG), field="signed_scan")
    previous = locked.signed_file_name
    locked.signed_file = checked.content
    locked.signed_file_name = checked.original_name
    locked.save(update_fields=["signed_file", "signed_file_name", "updated_at"])
    audit_record(
        actor=actor,
        action="decision.attach_scan",
        obj=locked,
        changes={"signed_scan": [previous, checked.original_name]},
    )
    return locked
