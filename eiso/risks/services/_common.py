"""Helpers shared by the risks' services: who keeps the register, years, the default scale."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX
from eiso.risks import rules
from eiso.risks.models import (
    RiskScale,
)

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
