"""The measurement periods of a year for each frequency: months, quarters, halves, the year.
Plain computation from the year, no data."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from eiso.objectives.choices import Frequency

MONTHS_PER_PERIOD = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.YEAR: 12,
}
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    index: int  # 1-based within the year
    start: datetime.date
    end: datetime.date
    frequency: str

    @property
    def label(self) -> str:
        year = self.start.year
        if self.frequency == Frequency.MONTH:
            return _("Month %(n)s/%(year)s") % {"n": self.index, "year": year}
        if self.frequency == Frequency.QUARTER:
            return _("Quarter %(n)s/%(year)s") % {"n": ROMAN[self.index - 1], "year": year}
        if self.frequency == Frequency.HALF_YEAR:
            if self.index == 1:
                return _("First half of %(year)s") % {"year": year}
            return _("Second half of %(year)s") % {"year": year}
        return _("Year %(year)s") % {"year": year}

    @property
    def short_label(self) -> str:
        if self.frequency == Frequency.MONTH:
            return _("M%(n)s") % {"n": self.index}
        if self.frequency == Frequency.QUARTER:
            return _("Q%(n)s") % {"n": ROMAN[self.index - 1]}
        if self.frequency == Frequency.HALF_YEAR:
            return _("H%(n)s") % {"n": self.index}
        return str(self.start.year)

    def started_by(self, day: datetime.date) -> bool:
        return self.start <= day

    def ended_by(self, day: datetime.date) -> bool:
        return self.end < day


def count(frequency: str) -> int:
    return 12 // MONTHS_PER_PERIOD[Frequency(frequency)]


def period(year: int, frequency: str, index: int) -> Period | None:
    """Period ``index`` (1-based) of ``year``, or None when the year has no such period."""
    months = MONTHS_PER_PERIOD[Frequency(frequency)]
    if not 1 <= index <= 12 // months:
        return None
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(
        index=index,
        start=datetime.date(year, first_month, 1),
        end=datetime.date(year, last_month, last_day),
        frequency=str(frequency),
    )


def periods(year: int, frequency: str) -> list[Period]:
    """Every period of ``year`` for ``frequency``, in order."""
    return [period(year, frequency, i) for i in range(1, count(frequency) + 1)]


def period_containing(year: int, frequency: str, day: datetime.date) -> Period | None:
    for candidate in periods(year, frequency):
        if candidate.start <= day <= candidate.end:
            return candidate
    return None
