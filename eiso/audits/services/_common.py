"""Pieces shared by the audit services."""

from __future__ import annotations

import datetime
import importlib.util

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG

EVIDENCE_TYPES = (PDF, DOCX, PNG, JPEG)
FIRST_YEAR = 2000


def refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        refuse("year", _("Give the year as a number, e.g. 2026."))
    latest = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= latest:
        refuse(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": latest},
        )
    return year


def members(agency) -> dict[int, list]:
    """Active people of ``agency``: user id → the departments of their roles there."""
    from eiso.accounts.models import Membership

    found: dict[int, list] = {}
    for user_id, department_id in Membership.objects.filter(
        agency=agency, is_active=True
    ).values_list("user_id", "department_id"):
        found.setdefault(user_id, []).append(department_id)
    return found


def keepers(agency, roles) -> list:
    from eiso.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, is_active=True, role__in=roles, user__is_active=True
        ).select_related("user")
    ]


def not_in_future(value: datetime.date | None, field: str, message: str) -> None:
    if value is not None and value > timezone.localdate():
        refuse(field, message)


def training_selectors():
    """The training module's selectors, or None while it is not installed (or has no
    certificates yet)."""
    if not apps.is_installed("eiso.training"):
        return None
    if importlib.util.find_spec("eiso.training.selectors") is None:
        return None
    from eiso.training import selectors as training

    return training if hasattr(training, "has_valid_certificate") else None


def certificate_warning(user, on: datetime.date) -> str:
    """What to say when ``user`` has no valid internal-auditor certificate on ``on`` (the
    training module keeps certificates; without it nothing can be said)."""
    training = training_selectors()
    if training is None:
        return ""
    if training.has_valid_certificate(user=user, kind="internal_auditor", on=on):
        return ""
    return _("%(name)s has no valid internal-auditor certificate on %(date)s.") % {
        "name": user.full_name or user.username,
        "date": on.strftime("%d/%m/%Y"),
    }
