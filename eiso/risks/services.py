"""Writes of the context, interested parties and the risk register: issues and parties, risks
rated on the scale, treatments and their completion with evidence, re-rating and the review of
effectiveness (the workflow table decides when), "copy last year", the evaluation report.
Keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, check_upload
from eiso.core.notifications import notify
from eiso.core.workflow import lock
from eiso.risks import rules
from eiso.risks.choices import (
    IssueCategory,
    IssueKind,
    PartyKind,
    ProcessKind,
    ReportAction,
    RiskAction,
    RiskKind,
)
from eiso.risks.models import (
    ContextIssue,
    InterestedParty,
    Risk,
    RiskReport,
    RiskScale,
    Treatment,
)
from eiso.risks.workflows import REPORT, RISK

EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
FIRST_YEAR = 2000
ISSUE_FIELDS = ("number", "kind", "category", "description", "effect", "response")
PARTY_FIELDS = ("number", "kind", "name", "requirements", "monitoring")
RISK_FIELDS = (
    "kind",
    "process_kind",
    "procedure",
    "department",
    "process",
    "description",
    "cause",
    "consequence",
    "likelihood",
    "impact",
    "owner",
)
TREATMENT_FIELDS = ("action", "owner", "due_date")


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _require_keeper(actor, agency) -> None:
    if not rules.can_keep(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head keep the register of risks."))


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        _refuse("year", _("Give the year as a number, e.g. 2026."))
    latest = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= latest:
        _refuse(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": latest},
        )
    return year


def _members(agency) -> set[int]:
    from eiso.accounts.models import Membership

    return set(
        Membership.objects.filter(agency=agency, is_active=True).values_list("user_id", flat=True)
    )


def _text(data: dict, name: str) -> str:
    return (data.get(name) or "").strip()


def default_scale() -> RiskScale:
    """The default scale; the reference data is loaded again when missing (a flushed test
    database, a new deployment before ``migrate`` finished)."""
    scale = RiskScale.objects.filter(is_default=True).order_by("code").first()
    if scale is None:
        import importlib

        from django.apps import apps

        importlib.import_module("eiso.risks.migrations.0002_default_scale").load(apps, None)
        scale = RiskScale.objects.filter(is_default=True).order_by("code").first()
    return scale


def _next_number(queryset) -> int:
    return (queryset.aggregate(n=Max("number"))["n"] or 0) + 1


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


# --- risks -------------------------------------------------------------------------------------


def _check_rating(scale: RiskScale, likelihood, impact, *, prefix: str = "") -> tuple[int, int]:
    errors = {}
    values = []
    for name, value, top in (
        ("likelihood", likelihood, scale.max_likelihood),
        ("impact", impact, scale.max_impact),
    ):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not 1 <= number <= top:
            label = _("The likelihood") if name == "likelihood" else _("The impact")
            errors[f"{prefix}{name}"] = [
                _("%(what)s must be a level of the scale, from 1 to %(top)s.")
                % {"what": label, "top": top}
            ]
        values.append(number)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return values[0], values[1]


def _clean_risk(agency, data: dict, scale: RiskScale) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {name: data.get(name) for name in RISK_FIELDS if name in data}
    for name in ("process", "description", "cause", "consequence"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if cleaned.get("kind") not in RiskKind.values:
        errors["kind"] = [_("Say whether it is a risk or an opportunity.")]
    if not cleaned.get("description"):
        errors["description"] = [_("Describe the risk or opportunity.")]
    kind = cleaned.get("process_kind")
    if kind not in ProcessKind.values:
        errors["process_kind"] = [_("Say which process it belongs to.")]
    elif kind == ProcessKind.PROCEDURE:
        procedure = cleaned.get("procedure")
        from eiso.procedures.models import HandledProcedure

        if (
            procedure is None
            or not HandledProcedure.objects.filter(
                agency=agency, procedure=procedure, is_active=True
            ).exists()
        ):
            errors["procedure"] = [_("Choose an administrative procedure this agency handles.")]
        cleaned["department"] = None
    elif kind == ProcessKind.DEPARTMENT:
        department = cleaned.get("department")
        if department is None or department.agency_id != agency.pk:
            errors["department"] = [_("Choose a department of this agency.")]
        cleaned["procedure"] = None
    else:
        if not cleaned.get("process"):
            errors["process"] = [_("Name the internal activity.")]
        cleaned["procedure"] = cleaned["department"] = None
    owner = cleaned.get("owner")
    if owner is not None and owner.pk not in _members(agency):
        errors["owner"] = [_("Choose someone who works in this agency.")]
    try:
        cleaned["likelihood"], cleaned["impact"] = _check_rating(
            scale, cleaned.get("likelihood"), cleaned.get("impact")
        )
    except ValidationFailed as refused:
        errors.update(refused.fields)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return cleaned


def _next_code(agency, year: int, kind: str) -> str:
    prefix = "R" if kind == RiskKind.RISK else "CH"
    codes = Risk.objects.filter(
        agency=agency, year=year, code__startswith=f"{prefix}-"
    ).values_list("code", flat=True)
    numbers = [int(c.split("-", 1)[1]) for c in codes if c.split("-", 1)[1].isdigit()]
    return f"{prefix}-{(max(numbers, default=0) + 1):02d}"


def _risk_url(risk) -> str:
    return reverse("risks:detail", args=[risk.pk])


@transaction.atomic
def risk_create(*, actor, agency, year, data: dict, code: str = "") -> Risk:
    """Add a risk or an opportunity to the register of ``year``, rated on the default scale."""
    _require_keeper(actor, agency)
    year = _check_year(year)
    scale = default_scale()
    cleaned = _clean_risk(agency, {"process": "", **data}, scale)
    code = (code or "").strip().upper() or _next_code(agency, year, cleaned["kind"])
    if Risk.objects.filter(agency=agency, year=year, code__iexact=code).exists():
        _refuse("code", _("The code %(code)s is already used this year.") % {"code": code})
    risk = Risk.objects.create(
        agency=agency,
        year=year,
        code=code,
        scale=scale,
        rating=cleaned["likelihood"] * cleaned["impact"],
        created_by=actor,
        **cleaned,
    )
    audit_record(
        actor=actor,
        action="risk.create",
        obj=risk,
        changes={**snapshot(risk, ("year", "code", *RISK_FIELDS)), "rating": risk.rating},
    )
    if risk.owner_id and risk.owner_id != actor.pk:
        notify(
            users=[risk.owner],
            agency=agency,
            message=_("You own %(risk)s in the register of risks.") % {"risk": risk},
            url=_risk_url(risk),
        )
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, data: dict) -> Risk:
    locked = lock(risk, related=("scale", "agency"))
    RISK.check(actor=actor, obj=locked, action=RiskAction.EDIT)
    current = snapshot(locked, RISK_FIELDS)
    current.update(
        {"procedure": locked.procedure, "department": locked.department, "owner": locked.owner}
    )
    cleaned = _clean_risk(locked.agency, {**current, **data}, locked.scale)
    before = snapshot(locked, (*RISK_FIELDS, "rating"))
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.rating = locked.likelihood * locked.impact
    locked.save()
    changes = changes_between(before, snapshot(locked, (*RISK_FIELDS, "rating")))
    if changes:
        audit_record(actor=actor, action="risk.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def risk_delete(*, actor, risk: Risk) -> None:
    locked = lock(risk)
    RISK.check(actor=actor, obj=locked, action=RiskAction.EDIT)
    if locked.treatments.filter(done_on__isnull=False).exists():
        _refuse("", _("Treatments of this risk were carried out: it is kept."))
    audit_record(
        actor=actor,
        action="risk.delete",
        obj=locked,
        changes=snapshot(locked, ("year", "code", "description")),
    )
    locked.treatments.all().delete()
    locked.delete()


@transaction.atomic
def risk_rerate(*, actor, risk: Risk, likelihood, impact) -> Risk:
    """The rating after treatment (residual), once every treatment is done."""
    locked = lock(risk, related=("scale",))
    l_value, i_value = _check_rating(locked.scale, likelihood, impact, prefix="residual_")
    before = snapshot(locked, ("residual_likelihood", "residual_impact", "residual_rating"))
    locked.residual_likelihood, locked.residual_impact = l_value, i_value
    locked.residual_rating = l_value * i_value
    after = snapshot(locked, ("residual_likelihood", "residual_impact", "residual_rating"))
    RISK.apply(
        actor=actor, obj=locked, action=RiskAction.RERATE, changes=changes_between(before, after)
    )
    return locked


@transaction.atomic
def risk_review(
    *, actor, risk: Risk, effectiveness: str, reviewed_on: datetime.date | None = None
) -> Risk:
    """The review of the treatments' effectiveness closes the risk for the year."""
    locked = lock(risk)
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        _refuse("reviewed_on", _("The review cannot be dated in the future."))
    locked.effectiveness = (effectiveness or "").strip()
    locked.reviewed_on = reviewed_on
    locked.reviewed_by = actor
    RISK.apply(
        actor=actor,
        obj=locked,
        action=RiskAction.REVIEW,
        changes={"effectiveness": locked.effectiveness, "reviewed_on": reviewed_on},
    )
    return locked


@transaction.atomic
def risk_reopen(*, actor, risk: Risk, reason: str) -> Risk:
    locked = lock(risk)
    if not (reason or "").strip():
        _refuse("reason", _("Say why the risk is reopened."))
    RISK.apply(actor=actor, obj=locked, action=RiskAction.REOPEN, reason=reason.strip())
    return locked


# --- treatments ----------------------------------------------------------------------------------


def _check_due(risk: Risk, due) -> None:
    if due is None:
        _refuse("due_date", _("Say by when the action is done."))
    if due.year != risk.year:
        _refuse(
            "due_date",
            _("A treatment of the %(year)s register must be due within %(year)s.")
            % {"year": risk.year},
        )


def _treatable(actor, risk: Risk) -> None:
    RISK.check(actor=actor, obj=risk, action=RiskAction.TREAT)


@transaction.atomic
def treatment_create(*, actor, risk: Risk, data: dict) -> Treatment:
    locked = lock(risk, related=("agency",))
    _require_keeper(actor, locked.agency)
    _treatable(actor, locked)
    action = _text(data, "action")
    if not action:
        _refuse("action", _("Say what will be done."))
    owner = data.get("owner")
    if owner is not None and owner.pk not in _members(locked.agency):
        _refuse("owner", _("Choose someone who works in this agency."))
    _check_due(locked, data.get("due_date"))
    treatment = Treatment.objects.create(
        agency=locked.agency, risk=locked, action=action, owner=owner, due_date=data["due_date"]
    )
    audit_record(
        actor=actor,
        action="treatment.create",
        obj=treatment,
        changes=snapshot(treatment, TREATMENT_FIELDS),
    )
    if owner is not None and owner.pk != actor.pk:
        notify(
            users=[owner],
            agency=locked.agency,
            message=_("A treatment of %(risk)s is yours, due %(due)s.")
            % {"risk": locked.code, "due": treatment.due_date.strftime("%d/%m/%Y")},
            url=_risk_url(locked),
        )
    return treatment


@transaction.atomic
def treatment_update(*, actor, treatment: Treatment, data: dict) -> Treatment:
    locked = lock(treatment, related=("risk", "agency"))
    _require_keeper(actor, locked.agency)
    _treatable(actor, locked.risk)
    if "due_date" in data:
        _check_due(locked.risk, data["due_date"])
    owner = data.get("owner", locked.owner)
    if owner is not None and owner.pk not in _members(locked.agency):
        _refuse("owner", _("Choose someone who works in this agency."))
    before = snapshot(locked, TREATMENT_FIELDS)
    if "action" in data:
        if not _text(data, "action"):
            _refuse("action", _("Say what will be done."))
        locked.action = _text(data, "action")
    locked.owner = owner
    if data.get("due_date"):
        locked.due_date = data["due_date"]
    locked.save()
    changes = changes_between(before, snapshot(locked, TREATMENT_FIELDS))
    if changes:
        audit_record(actor=actor, action="treatment.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def treatment_delete(*, actor, treatment: Treatment) -> None:
    locked = lock(treatment, related=("risk",))
    _require_keeper(actor, locked.agency)
    _treatable(actor, locked.risk)
    if locked.done_on is not None:
        _refuse("", _("A treatment carried out is kept."))
    audit_record(
        actor=actor, action="treatment.delete", obj=locked, changes={"action": locked.action}
    )
    locked.delete()


@transaction.atomic
def treatment_complete(
    *,
    actor,
    treatment: Treatment,
    done_on: datetime.date | None = None,
    result: str = "",
    evidence=None,
) -> Treatment:
    """Record a treatment as done (on a day not in the future and not before the year), with
    its result and evidence."""
    locked = lock(treatment, related=("risk", "agency"))
    if not rules.can_complete(actor, locked):
        raise NotPermitted(
            _("Only the treatment's owner, the ISO secretary or the head record it.")
        )
    _treatable(actor, locked.risk)
    if locked.done_on is not None:
        _refuse("done_on", _("This treatment is already recorded as done."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        _refuse("done_on", _("A treatment cannot be done in the future."))
    if done_on.year < locked.risk.year:
        _refuse("done_on", _("The date is before the register's year."))
    if evidence is not None:
        checked = check_upload(evidence, allowed=EVIDENCE_TYPES, field="evidence")
        locked.evidence, locked.evidence_name = checked.content, checked.original_name
    locked.done_on = done_on
    locked.result = (result or "").strip()
    locked.save()
    audit_record(
        actor=actor,
        action="treatment.complete",
        obj=locked,
        changes={"done_on": done_on, "result": locked.result, "evidence": locked.evidence_name},
    )
    return locked


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


# --- the evaluation report --------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    actor,
    agency,
    year,
    report_date: datetime.date | None = None,
    summary: str = "",
    signer_name: str = "",
    signer_title: str = "",
) -> RiskReport:
    _require_keeper(actor, agency)
    year = _check_year(year)
    if report_date is not None and report_date > timezone.localdate():
        _refuse("report_date", _("The report cannot be dated in the future."))
    if report_date is not None and report_date.year != year:
        _refuse("report_date", _("The report on %(year)s is dated in %(year)s.") % {"year": year})
    report, created = RiskReport.objects.select_for_update(of=("self",)).get_or_create(
        agency=agency,
        year=year,
        defaults={
            "created_by": actor,
            "signer_name": agency.head_name,
            "signer_title": agency.head_title.upper(),
        },
    )
    REPORT.check(actor=actor, obj=report, action=ReportAction.EDIT)
    fields = ("report_date", "summary", "signer_name", "signer_title")
    before = snapshot(report, fields)
    report.report_date = report_date
    report.summary = (summary or "").strip()
    if signer_name.strip():
        report.signer_name = signer_name.strip()
    if signer_title.strip():
        report.signer_title = signer_title.strip()
    report.save()
    audit_record(
        actor=actor,
        action="risk_evaluation.create" if created else "risk_evaluation.update",
        obj=report,
        changes=changes_between(before, snapshot(report, fields)),
    )
    return report


@transaction.atomic
def report_finalize(*, actor, report: RiskReport) -> RiskReport:
    """Freeze the report with the register as it stands."""
    from eiso.risks.selectors import report_rows

    locked = lock(report, related=("agency",))
    REPORT.check(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    locked.snapshot = report_rows(report=locked)
    locked.finalized_by = actor
    locked.finalized_at = timezone.now()
    REPORT.apply(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    return locked
