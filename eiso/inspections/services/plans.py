"""Writes of inspection plans: drafting the year's plan, its agencies (one by one, picked from
the tree, or imported), the approving decision, the team and its decision, the signed files,
the summary and completion. Keyword-only, one transaction each, audited; the workflow table
(``workflows.PLAN``) decides when and who."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.numbers import official_number
from eiso.core.text import vn_fold
from eiso.core.workflow import lock
from eiso.inspections import rules
from eiso.inspections.choices import InspectionStatus, Mode, PlanAction, PlanStatus, TeamRole
from eiso.inspections.models import ChecklistVersion, Inspection, InspectionPlan, TeamMember
from eiso.inspections.services._common import (
    check_year,
    decision_number,
    not_in_future,
    plan_url,
    refuse,
    signed_file,
    team_users,
    tell,
)
from eiso.inspections.workflows import PLAN

PLAN_FIELDS = ("title", "period_start", "period_end", "checklist_version")
SUMMARY_FIELDS = (
    "summary_conclusion",
    "summary_common_findings",
    "summary_recommendations",
    "summary_number",
    "summary_date",
)
SINGLE_ROLES = (TeamRole.LEADER, TeamRole.SECRETARY)


def default_title(year: int) -> str:
    return (
        "Kế hoạch kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo "
        f"TCVN ISO 9001:2015 tại các cơ quan hành chính nhà nước năm {year}"
    )


def current_version() -> ChecklistVersion | None:
    today = timezone.localdate()
    return (
        ChecklistVersion.objects.filter(is_active=True, effective_from__lte=today)
        .order_by("-effective_from", "pk")
        .first()
    )


def _check_period(year: int, start, end) -> None:
    if start is None:
        refuse("period_start", _("Give the first day of the inspections."))
    if end is None:
        refuse("period_end", _("Give the last day of the inspections."))
    if end < start:
        refuse("period_end", _("The period ends before it starts."))
    if start.year != year or end.year != year:
        refuse("period_end", _("The period lies within the plan's year %(year)s.") % {"year": year})


def _check_visit_day(plan: InspectionPlan, day: datetime.date | None, field: str = "date") -> None:
    if day is not None and not plan.period_start <= day <= plan.period_end:
        refuse(
            field,
            _("The date lies within the plan's period (%(start)s – %(end)s).")
            % {"start": f"{plan.period_start:%d/%m/%Y}", "end": f"{plan.period_end:%d/%m/%Y}"},
        )


def _member_agency_ids(user_ids) -> dict[int, set[int]]:
    from eiso.accounts.models import Membership

    found: dict[int, set[int]] = {}
    for user_id, agency_id in Membership.objects.filter(
        user_id__in=list(user_ids), is_active=True
    ).values_list("user_id", "agency_id"):
        found.setdefault(user_id, set()).add(agency_id)
    return found


def inspectable_problem(plan: InspectionPlan, agency, *, taken: set[int] | None = None) -> str:
    """Why ``agency`` cannot be added to ``plan`` ("" when it can): an agency outside the
    overseer's subtree or closed, one already in the plan, or one a team member works in."""
    if not agency.is_active:
        return _("%(agency)s is no longer active.") % {"agency": agency}
    if not agency.path.startswith(plan.agency.path):
        return _("%(agency)s is not under %(root)s.") % {"agency": agency, "root": plan.agency}
    if taken is None:
        taken = set(plan.inspections.values_list("agency_id", flat=True))
    if agency.pk in taken:
        return _("%(agency)s is already in the plan.") % {"agency": agency}
    members = plan.team.exclude(user=None).values_list("user_id", flat=True)
    for agencies in _member_agency_ids(members).values():
        if agency.pk in agencies:
            return _("A member of the inspection team works in %(agency)s.") % {"agency": agency}
    return ""


@transaction.atomic
def plan_create(*, actor, agency, data: dict) -> InspectionPlan:
    """Draft the year's inspection plan of ``agency`` (the overseer's agency)."""
    if not rules.can_manage(actor, agency):
        raise NotPermitted(
            _("Only the overseers of the Department of Science and Technology keep the plan.")
        )
    year = check_year(data.get("year"))
    start, end = data.get("period_start"), data.get("period_end")
    _check_period(year, start, end)
    if InspectionPlan.objects.filter(agency=agency, year=year).exists():
        refuse(
            "year",
            _("%(agency)s already has an inspection plan for %(year)s.")
            % {"agency": agency, "year": year},
        )
    version = data.get("checklist_version") or current_version()
    if version is None:
        refuse(
            "checklist_version", _("No inspection content is in use: an administrator adds one.")
        )
    plan = InspectionPlan.objects.create(
        agency=agency,
        year=year,
        title=(data.get("title") or "").strip()[:300] or default_title(year),
        checklist_version=version,
        period_start=start,
        period_end=end,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="inspection_plan.create",
        obj=plan,
        changes=snapshot(
            plan, ("year", "title", "period_start", "period_end", "checklist_version")
        ),
    )
    return plan


@transaction.atomic
def plan_update(*, actor, plan: InspectionPlan, data: dict) -> InspectionPlan:
    plan = lock(plan, related=("agency",))
    before = snapshot(plan, PLAN_FIELDS)
    for name in PLAN_FIELDS:
        if name in data and data[name] not in (None, ""):
            value = data[name]
            setattr(plan, name, value.strip()[:300] if isinstance(value, str) else value)
    _check_period(plan.year, plan.period_start, plan.period_end)
    outside = plan.inspections.exclude(date=None).exclude(
        date__range=(plan.period_start, plan.period_end)
    )
    if outside.exists():
        refuse("period_start", _("Some visits are dated outside this period: change them first."))
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.EDIT,
        changes=changes_between(before, snapshot(plan, PLAN_FIELDS)),
    )
    return plan


def _add(plan, agency, *, mode: str, day=None, place: str = "") -> Inspection:
    if mode not in Mode.values:
        refuse("mode", _("Choose on site or through records and reports."))
    _check_visit_day(plan, day)
    return Inspection.objects.create(
        plan=plan, agency=agency, mode=mode, date=day, place=(place or "").strip()[:300]
    )


@transaction.atomic
def plan_agency_add(
    *, actor, plan: InspectionPlan, agency, mode: str, date=None, place: str = ""
) -> Inspection:
    """Add one agency to a draft plan."""
    plan = lock(plan, related=("agency",))
    PLAN.check(actor=actor, obj=plan, action=PlanAction.EDIT)
    problem = inspectable_problem(plan, agency)
    if problem:
        refuse("agency", problem)
    inspection = _add(plan, agency, mode=mode, day=date, place=place)
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.EDIT,
        changes={"agency_added": str(agency), "mode": mode, "date": date},
    )
    return inspection


@transaction.atomic
def plan_agencies_add(*, actor, plan: InspectionPlan, rows: list[dict]) -> int:
    """Add many agencies at once (picked from the tree, or an import): every row or none.
    ``rows``: ``{"agency", "mode", "date", "place"}``."""
    plan = lock(plan, related=("agency",))
    PLAN.check(actor=actor, obj=plan, action=PlanAction.EDIT)
    taken = set(plan.inspections.values_list("agency_id", flat=True))
    problems = []
    for row in rows:
        problem = inspectable_problem(plan, row["agency"], taken=taken)
        if problem:
            problems.append(problem)
        taken.add(row["agency"].pk)
    if problems:
        raise ValidationFailed(" ".join(problems[:5]), fields={"agency": problems[:20]})
    for row in rows:
        _add(plan, row["agency"], mode=row["mode"], day=row.get("date"), place=row.get("place", ""))
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.EDIT,
        changes={"agencies_added": [str(r["agency"].code) for r in rows]},
    )
    return len(rows)


@transaction.atomic
def plan_agency_remove(*, actor, inspection: Inspection) -> None:
    plan = lock(inspection.plan)
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.EDIT,
        changes={"agency_removed": str(inspection.agency)},
    )
    inspection.delete()


@transaction.atomic
def plan_visit_update(
    *, actor, inspection: Inspection, mode: str, date=None, place: str = ""
) -> Inspection:
    """Change how, when and where an agency is inspected (a draft plan, or an approved one
    while that inspection has not started)."""
    plan = lock(inspection.plan, related=("agency",))
    inspection = lock(inspection, related=("agency",))
    action = PlanAction.EDIT if plan.status == PlanStatus.DRAFT else PlanAction.SCHEDULE
    PLAN.check(actor=actor, obj=plan, action=action)
    if inspection.status != InspectionStatus.PLANNED:
        refuse("date", _("This inspection has started: its date and mode stay as they are."))
    if mode not in Mode.values:
        refuse("mode", _("Choose on site or through records and reports."))
    _check_visit_day(plan, date)
    before = snapshot(inspection, ("mode", "date", "place"))
    inspection.mode, inspection.date, inspection.place = mode, date, (place or "").strip()[:300]
    inspection.save(update_fields=["mode", "date", "place", "updated_at"])
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=action,
        changes={
            "agency": str(inspection.agency),
            **changes_between(before, snapshot(inspection, ("mode", "date", "place"))),
        },
    )
    return inspection


@transaction.atomic
def plan_approve(
    *,
    actor,
    plan: InspectionPlan,
    number: str,
    date: datetime.date | None,
    signer: str,
    signer_title: str = "",
    file=None,
) -> InspectionPlan:
    """Record the People's Committee's decision approving the plan."""
    plan = lock(plan, related=("agency",))
    if not PLAN.may(actor, plan, PlanAction.APPROVE):
        PLAN.check(actor=actor, obj=plan, action=PlanAction.APPROVE)  # says why not
    if date is None:
        refuse("decision_date", _("Give the decision's date."))
    not_in_future(date, "decision_date", _("A decision cannot be dated in the future."))
    if not (signer or "").strip():
        refuse("decision_signer", _("Say who signed the decision."))
    plan.decision_number = decision_number(number, "decision_number")
    plan.decision_date = date
    plan.decision_signer = signer.strip()[:200]
    plan.decision_signer_title = (signer_title or "").strip()[:200]
    if file is not None:
        checked = signed_file(file, "decision_file")
        plan.decision_file, plan.decision_file_name = checked.content, checked.original_name
    plan.approved_at = timezone.now()
    plan.approved_by = actor
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.APPROVE,
        changes=snapshot(plan, ("decision_number", "decision_date", "decision_signer")),
    )
    return plan


@transaction.atomic
def plan_attach(*, actor, plan: InspectionPlan, which: str, file) -> InspectionPlan:
    """Attach the signed approving decision (``which="decision"``) or team decision
    (``"team"``)."""
    plan = lock(plan)
    PLAN.check(actor=actor, obj=plan, action=PlanAction.ATTACH)
    if which == "decision":
        if not plan.decision_number:
            refuse("file", _("Record the approving decision first."))
        checked = signed_file(file, "file")
        plan.decision_file, plan.decision_file_name = checked.content, checked.original_name
    elif which == "team":
        if not plan.team_formed:
            refuse("file", _("Record the team decision first."))
        checked = signed_file(file, "file")
        plan.team_decision_file, plan.team_decision_file_name = (
            checked.content,
            checked.original_name,
        )
    else:
        refuse("which", _("Say which decision the file is."))
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.ATTACH,
        changes={"file": checked.original_name, "which": which},
    )
    return plan


@transaction.atomic
def team_add(
    *,
    actor,
    plan: InspectionPlan,
    role: str,
    user=None,
    name: str = "",
    position: str = "",
    organisation: str = "",
) -> TeamMember:
    """Add a person to the team: a user of any agency — never one who works in an agency the
    plan inspects — or someone from outside (name and organisation)."""
    plan = lock(plan, related=("agency",))
    PLAN.check(actor=actor, obj=plan, action=PlanAction.TEAM)
    if role not in TeamRole.values:
        refuse("role", _("Choose the person's task in the team."))
    if role in SINGLE_ROLES and plan.team.filter(role=role).exists():
        refuse("role", _("The team already has its %(role)s.") % {"role": TeamRole(role).label})
    inspected = dict(plan.inspections.values_list("agency_id", "agency__name"))
    if user is not None:
        agencies = _member_agency_ids([user.pk]).get(user.pk, set())
        if not user.is_active or not agencies:
            refuse(
                "user", _("Choose someone who works in an agency (or add a person from outside).")
            )
        clash = sorted(inspected[a] for a in agencies & set(inspected))
        if clash:
            refuse(
                "user",
                _(
                    "%(name)s works in %(agency)s, which the plan inspects: a member from an "
                    "inspected agency is not allowed."
                )
                % {"name": user, "agency": clash[0]},
            )
        if plan.team.filter(user=user).exists():
            refuse("user", _("%(name)s is already on the team.") % {"name": user})
        from eiso.accounts.models import Membership

        where = (
            Membership.objects.filter(user=user, is_active=True)
            .select_related("agency")
            .order_by("agency__path")
            .first()
        )
        name = user.full_name or user.username
        position = (position or "").strip() or user.position
        organisation = (organisation or "").strip() or where.agency.name
    else:
        name, organisation = (name or "").strip(), (organisation or "").strip()
        if not name:
            refuse("name", _("Give the person's full name, or choose a user."))
        if not organisation:
            refuse("organisation", _("Say where the person works."))
        folded = vn_fold(organisation)
        if any(folded == vn_fold(agency_name) for agency_name in inspected.values()):
            refuse(
                "organisation",
                _(
                    "%(name)s works in an agency the plan inspects: a member from an inspected "
                    "agency is not allowed."
                )
                % {"name": name},
            )
    member = TeamMember.objects.create(
        agency=plan.agency,
        plan=plan,
        role=role,
        user=user,
        name=name[:200],
        position=(position or "").strip()[:200],
        organisation=organisation[:300],
    )
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.TEAM,
        changes={"member_added": member.name, "role": role, "organisation": member.organisation},
    )
    return member


@transaction.atomic
def team_remove(*, actor, member: TeamMember) -> None:
    plan = lock(member.plan)
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.TEAM,
        changes={"member_removed": member.name, "role": member.role},
    )
    member.delete()


@transaction.atomic
def plan_team_decision(
    *,
    actor,
    plan: InspectionPlan,
    number: str,
    date: datetime.date | None,
    signer: str,
    file=None,
) -> InspectionPlan:
    """Record the decision forming the team; its members are told (in the app and by e-mail)."""
    plan = lock(plan, related=("agency",))
    PLAN.check(actor=actor, obj=plan, action=PlanAction.TEAM)
    if not plan.team.filter(role=TeamRole.LEADER).exists():
        refuse("team_decision_number", _("Name the team leader first."))
    if date is None:
        refuse("team_decision_date", _("Give the decision's date."))
    not_in_future(date, "team_decision_date", _("A decision cannot be dated in the future."))
    if not (signer or "").strip():
        refuse("team_decision_signer", _("Say who signed the decision."))
    plan.team_decision_number = decision_number(number, "team_decision_number")
    plan.team_decision_date = date
    plan.team_decision_signer = signer.strip()[:200]
    if file is not None:
        checked = signed_file(file, "team_decision_file")
        plan.team_decision_file, plan.team_decision_file_name = (
            checked.content,
            checked.original_name,
        )
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.TEAM,
        changes=snapshot(
            plan, ("team_decision_number", "team_decision_date", "team_decision_signer")
        ),
    )
    tell(
        team_users(plan),
        agency=plan.agency,
        message=_(
            "You are on the inspection team of “%(plan)s” (decision %(number)s): from "
            "%(start)s to %(end)s you read the QMS of the agencies it inspects."
        )
        % {
            "plan": plan.title,
            "number": plan.team_decision_number,
            "start": f"{plan.period_start:%d/%m/%Y}",
            "end": f"{plan.period_end:%d/%m/%Y}",
        },
        url=reverse("inspections:mine"),
        actor=actor,
    )
    return plan


@transaction.atomic
def plan_summary_save(*, actor, plan: InspectionPlan, data: dict) -> InspectionPlan:
    """Write the summary of the plan (báo cáo kết quả kiểm tra): its general assessment, the
    common shortcomings, the recommendations, its number and date. The figures are counted."""
    plan = lock(plan, related=("agency",))
    before = snapshot(plan, SUMMARY_FIELDS)
    for name in ("summary_conclusion", "summary_common_findings", "summary_recommendations"):
        if name in data and data[name] is not None:
            setattr(plan, name, str(data[name]).strip())
    if data.get("summary_number"):
        plan.summary_number = official_number(
            data["summary_number"],
            kind="BC",
            symbol="",
            field="summary_number",
            other_symbols=True,
        )
    if "summary_date" in data and data["summary_date"] is not None:
        not_in_future(
            data["summary_date"], "summary_date", _("A report cannot be dated in the future.")
        )
        plan.summary_date = data["summary_date"]
    PLAN.apply(
        actor=actor,
        obj=plan,
        action=PlanAction.SUMMARIZE,
        changes=changes_between(before, snapshot(plan, SUMMARY_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_complete(*, actor, plan: InspectionPlan) -> InspectionPlan:
    plan = lock(plan, related=("agency",))
    plan.completed_on = timezone.localdate()
    PLAN.apply(actor=actor, obj=plan, action=PlanAction.COMPLETE)
    tell(
        team_users(plan),
        agency=plan.agency,
        message=_("The inspection plan “%(plan)s” is completed.") % {"plan": plan.title},
        url=plan_url(plan),
        actor=actor,
    )
    return plan
