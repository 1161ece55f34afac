"""Helpers shared by the objectives' selectors: the January deadline, a scoped get, the people
of an agency."""

from __future__ import annotations

import datetime

from django.http import Http404

# By this day of January the year's objectives are due (DOMAIN.md, the annual cycle; default).
ISSUE_BY_DAY = 31


def issue_deadline(year: int) -> datetime.date:
    return datetime.date(year, 1, ISSUE_BY_DAY)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def people_of(*, user, agency):
    """People who work in ``agency`` now (visible to ``user``): owners of objectives and of
    risk treatments."""
    from eiso.accounts.models import Membership, User

    members = Membership.objects.visible_to(user).filter(agency=agency, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )
