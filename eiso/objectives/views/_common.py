"""Helpers shared by the objectives' pages."""

from __future__ import annotations

from django.utils import timezone

from eiso.objectives import rules
from eiso.objectives.workflows import OBJECTIVE_SET


def year_of(request, name: str = "year") -> int:
    """``?year=`` when it is a plausible year, else this year."""
    raw = request.GET.get(name) or request.POST.get(name) or ""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def set_permissions(user, objective_set) -> dict:
    """What the person may do with a revision of the objectives, for the templates."""
    actions = set(OBJECTIVE_SET.available(user, objective_set))
    return {
        "actions": actions,
        "can_edit": "edit" in actions,
        "can_draft": rules.can_draft(user, objective_set.agency),
    }


class ThisYearByDefault:
    """A list that shows this year until the person filters (the filter row says so)."""

    def get_filters(self):
        if self.request.GET or self.filter_form_class is None:
            return super().get_filters()
        year = timezone.localdate().year
        self.filter_form = self.filter_form_class(
            None, user=self.request.user, initial={"year": year}
        )
        return {"year": year}
