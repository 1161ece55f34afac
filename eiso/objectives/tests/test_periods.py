"""Measurement periods are computed from the year."""

import datetime

import pytest

from eiso.objectives import periods


def test_quarters_of_a_year():
    quarters = periods.periods(2026, "quarter")
    assert [(p.start, p.end) for p in quarters] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("frequency", "count", "last_start"),
    [
        ("month", 12, datetime.date(2028, 12, 1)),
        ("half_year", 2, datetime.date(2028, 7, 1)),
        ("year", 1, datetime.date(2028, 1, 1)),
    ],
)
def test_every_frequency_covers_the_year(frequency, count, last_start):
    found = periods.periods(2028, frequency)
    assert len(found) == count
    assert found[0].start == datetime.date(2028, 1, 1)
    assert found[-1].start == last_start and found[-1].end == datetime.date(2028, 12, 31)


def test_february_of_a_leap_year_ends_on_the_29th():
    assert periods.period(2028, "month", 2).end == datetime.date(2028, 2, 29)


def test_a_period_outside_the_year_does_not_exist():
    assert periods.period(2026, "quarter", 5) is None
    assert periods.period(2026, "quarter", 0) is None


def test_period_boundaries():
    q3 = periods.period(2026, "quarter", 3)
    assert not q3.started_by(datetime.date(2026, 6, 30))
    assert q3.started_by(datetime.date(2026, 7, 1))
    assert not q3.ended_by(datetime.date(2026, 9, 30))
    assert q3.ended_by(datetime.date(2026, 10, 1))
