"""Helpers shared by the objectives' services: people of an agency, the checks of an
objective's fields and of a plan action's due date, the workflow's "may it be edited now"."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import measures
from eiso.core.errors import ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX
from eiso.objectives.choices import Comparator, Frequency, SetAction
from eiso.objectives.models import (
    ObjectiveSet,
)
from eiso.objectives.workflows import OBJECTIVE_SET

EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
OBJECTIVE_FIELDS = (
    "number",
    "department",
    "statement",
    "indicator",
    "comparator",
    "target",
    "unit",
    "frequency",
    "owner",
    "source",
    "processes",
)
ACTION_FIELDS = ("number", "what", "resources", "responsible", "due_date", "evaluation")
FIRST_YEAR = 2000


# --- helpers ---------------------------------------------------------------------------------


def _people(agency, roles) -> list:
    from eiso.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, role__in=list(roles), is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


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


def _members(agency):
    from eiso.accounts.models import Membership

    return set(
        Membership.objects.filter(agency=agency, is_active=True).values_list("user_id", flat=True)
    )


def _set_url(objective_set) -> str:
    return reverse("objectives:set_detail", args=[objective_set.pk])


def _objective_url(objective) -> str:
    return reverse("objectives:detail", args=[objective.pk])


def _editable(actor, objective_set: ObjectiveSet) -> None:
    """Refuse unless the table allows editing this revision now, by this person."""
    OBJECTIVE_SET.check(actor=actor, obj=objective_set, action=SetAction.EDIT)


def clean_objective(agency, data: dict) -> dict:
    """Check and normalise an objective's fields; every problem is refused at once, on its
    field. Foreign keys must belong to ``agency``."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    for name in ("statement", "indicator", "unit", "processes"):
        if name in cleaned and isinstance(cleaned[name], str):
            cleaned[name] = cleaned[name].strip()
    if "statement" in cleaned and not cleaned["statement"]:
        errors["statement"] = [_("Say what the objective is.")]
    if "indicator" in cleaned and not cleaned["indicator"]:
        errors["indicator"] = [_("Give the measurable indicator.")]
    if "comparator" in cleaned and cleaned["comparator"] not in Comparator.values:
        errors["comparator"] = [_("Choose how the value is compared with the target (≥, ≤, =).")]
    if "unit" in cleaned and not cleaned["unit"]:
        errors["unit"] = [_("Give the unit of the target (%, days, dossiers…).")]
    if "target" in cleaned:
        try:
            target = Decimal(str(cleaned["target"]).replace(",", "."))
            if not target.is_finite() or abs(target) >= Decimal("1e12"):
                raise InvalidOperation
            cleaned["target"] = target
        except (InvalidOperation, ValueError):
            errors["target"] = [_("Give the target as a number.")]
    if "frequency" in cleaned and cleaned["frequency"] not in Frequency.values:
        errors["frequency"] = [_("Choose how often the objective is measured.")]
    if "source" in cleaned:
        cleaned["source"] = cleaned["source"] or measures.MANUAL
        if measures.get(cleaned["source"]) is None:
            errors["source"] = [_("Unknown source of measurements.")]
    department = cleaned.get("department")
    if department is not None and department.agency_id != agency.pk:
        errors["department"] = [_("Choose a department of this agency.")]
    owner = cleaned.get("owner")
    if owner is not None and owner.pk not in _members(agency):
        errors["owner"] = [_("Choose someone who works in this agency.")]
    procedures = cleaned.get("procedures")
    if procedures:
        from eiso.procedures.models import HandledProcedure

        handled = set(
            HandledProcedure.objects.filter(agency=agency, is_active=True).values_list(
                "procedure_id", flat=True
            )
        )
        if any(p.pk not in handled for p in procedures):
            errors["procedures"] = [_("Choose procedures this agency handles.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)
    return cleaned


def _check_due(objective_set: ObjectiveSet, due: datetime.date | None) -> None:
    if due is None:
        _refuse("due_date", _("Say by when the action is done."))
    if due.year != objective_set.year:
        _refuse(
            "due_date",
            _("An action of the %(year)s plan must be due within %(year)s.")
            % {"year": objective_set.year},
        )


def _next_number(queryset) -> int:
    last = queryset.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1
