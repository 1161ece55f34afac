"""Context issues and interested parties of a year, and "copy last year" (context, parties
and the register)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ValidationFailed
from eiso.core.workflow import lock
from eiso.risks.choices import (
    IssueCategory,
    IssueKind,
    PartyKind,
)
from eiso.risks.models import (
    ContextIssue,
    InterestedParty,
    Risk,
)
from eiso.risks.services._common import (
    ISSUE_FIELDS,
    PARTY_FIELDS,
    _check_year,
    _members,
    _next_number,
    _refuse,
    _require_keeper,
    _text,
)

# --- context issues and interested parties -----------------------------------------------------


def _clean_issue(data: dict) -> dict:
    errors = {}
    if data.get("kind") not in IssueKind.values:
        errors["kind"] = [_("Say whether the issue is internal or external.")]
    if data.get("category") not in IssueCategory.values:
        errors["category"] = [_("Choose the category of the issue.")]
    if not _text(data, "description"):
        errors["description"] = [_("Describe the issue.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return {
        name: (
            _text(data, name) if name in ("description", "effect", "response") else data.get(name)
        )
        for name in ISSUE_FIELDS
        if name in data
    }


@transaction.atomic
def issue_create(*, actor, agency, year, data: dict) -> ContextIssue:
    _require_keeper(actor, agency)
    year = _check_year(year)
    cleaned = _clean_issue(data)
    cleaned["number"] = cleaned.get("number") or _next_number(
        ContextIssue.objects.filter(agency=agency, year=year)
    )
    issue = ContextIssue.objects.create(agency=agency, year=year, **cleaned)
    audit_record(
        actor=actor,
        action="context_issue.create",
        obj=issue,
        changes=snapshot(issue, ("year", *ISSUE_FIELDS)),
    )
    return issue


@transaction.atomic
def issue_update(*, actor, issue: ContextIssue, data: dict) -> ContextIssue:
    locked = lock(issue)
    _require_keeper(actor, locked.agency)
    cleaned = _clean_issue({**snapshot(locked, ISSUE_FIELDS), **data})
    before = snapshot(locked, ISSUE_FIELDS)
    for name, value in cleaned.items():
        if value is not None:
            setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, ISSUE_FIELDS))
    if changes:
        audit_record(actor=actor, action="context_issue.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def issue_delete(*, actor, issue: ContextIssue) -> None:
    locked = lock(issue)
    _require_keeper(actor, locked.agency)
    audit_record(
        actor=actor,
        action="context_issue.delete",
        obj=locked,
        changes=snapshot(locked, ("year", "description")),
    )
    locked.delete()


def _clean_party(data: dict) -> dict:
    errors = {}
    if data.get("kind") not in PartyKind.values:
        errors["kind"] = [_("Choose the kind of interested party.")]
    if not _text(data, "name"):
        errors["name"] = [_("Name the interested party.")]
    if not _text(data, "requirements"):
        errors["requirements"] = [_("Say what they need and expect.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return {
        name: (
            _text(data, name) if name in ("name", "requirements", "monitoring") else data.get(name)
        )
        for name in PARTY_FIELDS
        if name in data
    }


@transaction.atomic
def party_create(*, actor, agency, year, data: dict) -> InterestedParty:
    _require_keeper(actor, agency)
    year = _check_year(year)
    cleaned = _clean_party(data)
    cleaned["number"] = cleaned.get("number") or _next_number(
        InterestedParty.objects.filter(agency=agency, year=year)
    )
    party = InterestedParty.objects.create(agency=agency, year=year, **cleaned)
    audit_record(
        actor=actor,
        action="interested_party.create",
        obj=party,
        changes=snapshot(party, ("year", *PARTY_FIELDS)),
    )
    return party


@transaction.atomic
def party_update(*, actor, party: InterestedParty, data: dict) -> InterestedParty:
    locked = lock(party)
    _require_keeper(actor, locked.agency)
    cleaned = _clean_party({**snapshot(locked, PARTY_FIELDS), **data})
    before = snapshot(locked, PARTY_FIELDS)
    for name, value in cleaned.items():
        if value is not None:
            setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, PARTY_FIELDS))
    if changes:
        audit_record(actor=actor, action="interested_party.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def party_delete(*, actor, party: InterestedParty) -> None:
    locked = lock(party)
    _require_keeper(actor, locked.agency)
    audit_record(
        actor=actor,
        action="interested_party.delete",
        obj=locked,
        changes=snapshot(locked, ("year", "name")),
    )
    locked.delete()


# --- copy last year ---------------------------------------------------------------------------


@transaction.atomic
def copy_last_year(*, actor, agency, year) -> dict[str, int]:
    """Start ``year`` from last year's context issues, interested parties and register: each of
    the three that is still empty for ``year`` is copied. A risk starts again rated where its
    treatments left it (the rating after treatment, else its rating), open, without
    treatments."""
    _require_keeper(actor, agency)
    year = _check_year(year)
    last = year - 1
    copied = {"issues": 0, "parties": 0, "risks": 0}
    if not ContextIssue.objects.filter(agency=agency, year=year).exists():
        rows = [
            ContextIssue(agency=agency, year=year, **snapshot(i, ISSUE_FIELDS))
            for i in ContextIssue.objects.filter(agency=agency, year=last).order_by("number")
        ]
        copied["issues"] = len(ContextIssue.objects.bulk_create(rows))
    if not InterestedParty.objects.filter(agency=agency, year=year).exists():
        rows = [
            InterestedParty(agency=agency, year=year, **snapshot(p, PARTY_FIELDS))
            for p in InterestedParty.objects.filter(agency=agency, year=last).order_by("number")
        ]
        copied["parties"] = len(InterestedParty.objects.bulk_create(rows))
    if not Risk.objects.filter(agency=agency, year=year).exists():
        active = _members(agency)
        rows = []
        for r in Risk.objects.filter(agency=agency, year=last).order_by("code"):
            likelihood = r.residual_likelihood or r.likelihood
            impact = r.residual_impact or r.impact
            rows.append(
                Risk(
                    agency=agency,
                    year=year,
                    kind=r.kind,
                    code=r.code,
                    process_kind=r.process_kind,
                    procedure_id=r.procedure_id,
                    department_id=r.department_id,
                    process=r.process,
                    description=r.description,
                    cause=r.cause,
                    consequence=r.consequence,
                    scale_id=r.scale_id,
                    likelihood=likelihood,
                    impact=impact,
                    rating=likelihood * impact,
                    owner_id=r.owner_id if r.owner_id in active else None,
                    created_by=actor,
                )
            )
        copied["risks"] = len(Risk.objects.bulk_create(rows))
    if not any(copied.values()):
        _refuse(
            "year",
            _("Nothing to copy: %(last)s has nothing that %(year)s does not have already.")
            % {"last": last, "year": year},
        )
    audit_record(
        actor=actor,
        action="risks.copy_last_year",
        agency=agency,
        object_type="risks.risk",
        changes={"year": year, **copied},
    )
    return copied
