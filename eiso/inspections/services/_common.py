"""Pieces shared by the inspection services."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.files import JPEG, PDF, PNG, check_upload
from eiso.core.notifications import notify
from eiso.core.numbers import DECISION, official_number
from eiso.inspections.rules import AGENCY_KEEPERS

SIGNED_TYPES = (PDF, PNG, JPEG)  # a digitally signed PDF, or a scan
FIRST_YEAR = 2000
# The People's Committee signs the plan and, usually, the team: "125/QĐ-UBND". A team formed by
# the Director of the Sở KH&CN is typed in full ("45/QĐ-SKHCN").
COMMITTEE_SYMBOL = "UBND"


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


def not_in_future(value: datetime.date | None, field: str, message: str) -> None:
    if value is not None and value > timezone.localdate():
        refuse(field, message)


def decision_number(number: str, field: str) -> str:
    return official_number(
        number, kind=DECISION, symbol=COMMITTEE_SYMBOL, field=field, other_symbols=True
    )


def signed_file(upload, field: str):
    return check_upload(upload, allowed=SIGNED_TYPES, field=field)


def agency_keepers(agency) -> list:
    from eiso.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, is_active=True, role__in=AGENCY_KEEPERS, user__is_active=True
        ).select_related("user")
    ]


def team_users(plan) -> list:
    return [m.user for m in plan.team.select_related("user") if m.user_id and m.user.is_active]


def plan_url(plan) -> str:
    return reverse("inspections:plan_detail", args=[plan.pk])


def inspection_url(inspection, anchor: str = "") -> str:
    return reverse("inspections:detail", args=[inspection.pk]) + (f"#{anchor}" if anchor else "")


def tell(users, *, agency, message: str, url: str, actor=None) -> None:
    wanted = [u for u in users if u is not None and (actor is None or u.pk != actor.pk)]
    if wanted:
        notify(users=wanted, agency=agency, message=message, url=url)
