"""The quality objectives of the demo province (objectives.py): last year's and this year's,
issued by their heads, measured (some periods missed), the evaluation reports finalized; the
persona teams changed theirs mid-year. Built once for the package (conftest.py)."""

from __future__ import annotations

import pytest

from eiso.demo import objectives as step
from eiso.demo.tests.helpers import report
from eiso.objectives import selectors
from eiso.objectives.choices import Result, SetStatus
from eiso.objectives.models import EvaluationReport, Measurement, ObjectiveSet
from eiso.organizations.models import Agency

pytestmark = pytest.mark.django_db


def test_every_built_agency_has_last_years_and_this_years_objectives(demo):
    year = demo.context.today.year
    built = [
        a
        for a in demo.context.active_agencies()
        if a.code.upper() in demo.context.keepers and demo.context.builds(a)
    ]
    assert len(built) >= 10
    issued = set(
        ObjectiveSet.objects.filter(status=SetStatus.ISSUED).values_list("agency__code", "year")
    )
    for agency in built:
        assert (agency.code, year) in issued, agency.code
        if agency.active_from is None or agency.active_from.year < year:
            assert (agency.code, year - 1) in issued, agency.code


def test_measurements_some_missed_and_a_measurement_due_somewhere(demo):
    assert Measurement.objects.filter(met=False).exists()
    assert (
        Measurement.objects.filter(met=True).count() > Measurement.objects.filter(met=False).count()
    )
    secretary = demo.context.keepers["STP"].secretary
    stp = Agency.objects.get(code="STP")
    missed = selectors.objectives_not_met(
        user=secretary, agency=stp, year=demo.context.today.year - 1
    )
    assert all(o.result == Result.NOT_MET for o in missed)


def test_the_persona_teams_changed_their_objectives_mid_year_and_kept_the_first(demo):
    year = demo.context.today.year
    revisions = dict(
        ObjectiveSet.objects.filter(agency__code="STP", year=year).values_list("revision", "status")
    )
    assert revisions == {1: SetStatus.SUPERSEDED, 2: SetStatus.ISSUED}


def test_last_years_evaluation_reports_are_final_with_the_causes_of_each_miss(demo):
    year = demo.context.today.year - 1
    reports = EvaluationReport.objects.filter(year=year)
    assert reports.exists() and not reports.exclude(status="final").exists()
    for found in reports:
        for row in selectors.report_rows(report=found):
            if row.result == Result.NOT_MET:
                assert row.causes


def test_the_step_reports_what_the_province_holds_and_a_second_run_adds_nothing(demo):
    assert (
        "objectives" in report(demo, "objectives").totals.lower()
        or report(demo, "objectives").totals
    )
    again = step.ObjectivesBuilder(demo.context)
    again.build()
    assert (again.sets, again.measurements, again.reports) == (0, 0, 0)
