"""Helpers shared by the risk pages."""

from __future__ import annotations

from django.utils import timezone


def year_of(request, name: str = "year") -> int:
    raw = request.GET.get(name) or request.POST.get(name) or ""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class ThisYearByDefault:
    """A list that shows this year until the person filters."""

    def get_filters(self):
        filters = super().get_filters()
        if not self.request.GET:
            filters.setdefault("year", timezone.localdate().year)
        return filters
