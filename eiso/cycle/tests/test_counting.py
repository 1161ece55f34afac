"""The dashboards count thousands of agencies' obligations as ``engine.Status`` rows
(``compute(…, counting=True)``) and read the evidence through a subquery of the agencies
(``among=``) instead of a list of their ids: both must give what the full computation gives —
every code, due date and state, for an agency with the whole year's evidence and for agencies
with none, on every day of the year."""

from __future__ import annotations

import datetime

import pytest

from eiso.cycle import selectors
from eiso.cycle.tests.year import build_year
from eiso.organizations.models import Agency

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2023, 1, 1) + datetime.timedelta(days=n) for n in range(0, 372, 7)]


def _rows(computed) -> dict:
    return {
        pk: sorted((o.code, o.due, o.state) for o in year.obligations)
        for pk, year in computed.items()
    }


def test_counting_gives_the_full_computation_s_states_on_every_day(world):
    build_year(world)
    qs = Agency.objects.filter(pk__in=[world.A.pk, world.B.pk, world.P.pk]).select_related("kind")
    agencies = list(qs.order_by("path"))
    differ = []
    for day in DAYS:
        full = _rows(selectors.compute(agencies, year=2023, on=day))
        counted = _rows(selectors.compute(agencies, year=2023, on=day, among=qs, counting=True))
        assert full[world.A.pk], "the agency with evidence has obligations"
        if counted != full:
            differ.append(day)
    assert differ == []


def test_the_subquery_reads_the_same_evidence_as_the_list_of_ids(world):
    build_year(world)
    qs = Agency.objects.filter(pk__in=[world.A.pk, world.B.pk]).select_related("kind")
    agencies = list(qs)
    day = datetime.date(2023, 12, 20)
    by_ids = selectors.compute(agencies, year=2023, on=day)
    by_query = selectors.compute(agencies, year=2023, on=day, among=qs)
    assert [
        (o.code, o.instance, o.state, o.evidence) for o in by_query[world.A.pk].obligations
    ] == [(o.code, o.instance, o.state, o.evidence) for o in by_ids[world.A.pk].obligations]
