"""Quality objectives through their services: starting a year (empty, copy last year, framework
model), the workflow with every guard refused, a change mid-year as a new version, measurements
on both sides of each boundary, the evaluation report."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.core.errors import (
    InvalidTransition,
    NotPermitted,
    SeparationOfDutiesViolation,
    ValidationFailed,
)
from eiso.core.models import AuditEvent, Notification
from eiso.objectives import selectors, services
from eiso.objectives.choices import Result, SetStatus
from eiso.objectives.models import Measurement, ObjectiveSet, ObjectiveTemplate, QualityObjective
from eiso.objectives.tests.conftest import at
from eiso.objectives.tests.factories import (
    action_data,
    draft_set,
    first_objective,
    head,
    issue,
    issued_set,
    objective_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july", "media_in_tmp")]


def fields_of(refusal) -> set:
    return set(refusal.value.fields)


# --- starting a year -------------------------------------------------------------------------


def test_copy_last_year_starts_a_draft_with_the_objectives_and_plan_moved_a_year(world):
    last = issued_set(world, world.A, 2025, objectives=2)
    new = services.objective_set_create(
        actor=world.an, agency=world.A, year=2026, start="last_year"
    )
    assert new.status == SetStatus.DRAFT and new.revision == 1
    copies = list(new.objectives.order_by("number"))
    originals = list(last.objectives.order_by("number"))
    assert [o.statement for o in copies] == [o.statement for o in originals]
    assert {o.lineage for o in copies}.isdisjoint({o.lineage for o in originals})
    assert [a.due_date for a in copies[0].actions.all()] == [datetime.date(2026, 12, 31)]
    assert last.objectives.count() == 2  # last year untouched
    assert AuditEvent.objects.filter(action="objective_set.create", object_id=str(new.pk)).exists()


def test_copy_last_year_without_last_year_is_refused(world):
    with pytest.raises(ValidationFailed, match="2025"):
        services.objective_set_create(actor=world.an, agency=world.A, year=2026, start="last_year")
    assert not ObjectiveSet.objects.exists()


def test_a_year_is_started_once(world):
    draft_set(world, world.A, 2026)
    with pytest.raises(ValidationFailed) as refused:
        services.objective_set_create(actor=world.an, agency=world.A, year=2026)
    assert fields_of(refused) == {"year"}


def test_the_framework_model_gives_a_commune_its_typical_objectives(world):
    from eiso.organizations.tests.factories import AgencyFactory, kind

    commune = AgencyFactory(code="XA", name="Ủy ban nhân dân xã Đông Lợi", kind=kind("ubnd_xa"))
    from eiso.objectives.tests.factories import person

    secretary = person(world, commune, "iso_secretary", "thuky_xa")
    templates = ObjectiveTemplate.objects.filter(kind__code="ubnd_xa")
    assert templates.count() >= 4
    new = services.objective_set_create(
        actor=secretary, agency=commune, year=2026, start="template"
    )
    objectives = list(new.objectives.order_by("number"))
    assert len(objectives) == templates.count()
    assert "khai sinh" in " ".join(o.indicator for o in objectives)
    assert all(o.actions.exists() for o in objectives)
    # a source the template names is used once its module registered it, else typed in
    from eiso.core import measures

    expected = [
        t.source if measures.get(t.source) else "manual" for t in templates.order_by("number")
    ]
    assert [o.source for o in objectives] == expected


def test_staff_and_overseers_do_not_start_objectives(world):
    for actor in (world.binh, world.dung, world.chi):
        with pytest.raises(NotPermitted):
            services.objective_set_create(actor=actor, agency=world.A, year=2026)


# --- bad input refused clearly ----------------------------------------------------------------


def test_a_target_without_a_unit_or_comparator_is_refused(world):
    objective_set = draft_set(world, world.A, 2026, objectives=0)
    with pytest.raises(ValidationFailed) as refused:
        services.objective_create(
            actor=world.an, objective_set=objective_set, data=objective_data(unit="", comparator="")
        )
    assert fields_of(refused) == {"unit", "comparator"}
    assert "comparator" in str(refused.value.fields["comparator"]) or "≥" in str(
        refused.value.fields["comparator"]
    )
    with pytest.raises(ValidationFailed) as refused:
        services.objective_create(
            actor=world.an, objective_set=objective_set, data=objective_data(comparator="~")
        )
    assert fields_of(refused) == {"comparator"}
    assert not QualityObjective.objects.exists()


def test_an_action_due_after_the_year_is_refused(world):
    objective_set = draft_set(world, world.A, 2026)
    objective = first_objective(objective_set)
    for due in (datetime.date(2027, 1, 1), datetime.date(2025, 12, 31)):
        with pytest.raises(ValidationFailed) as refused:
            services.plan_action_create(
                actor=world.an, objective=objective, data=action_data(2026, due_date=due)
            )
        assert fields_of(refused) == {"due_date"}
    services.plan_action_create(
        actor=world.an,
        objective=objective,
        data=action_data(2026, due_date=datetime.date(2026, 12, 31)),
    )


def test_a_department_or_owner_of_another_agency_is_refused(world):
    from eiso.organizations.tests.factories import DepartmentFactory

    objective_set = draft_set(world, world.A, 2026, objectives=0)
    other = DepartmentFactory(agency=world.B, name="Phòng khác")
    with pytest.raises(ValidationFailed) as refused:
        services.objective_create(
            actor=world.an,
            objective_set=objective_set,
            data=objective_data(department=other, owner=world.chi),
        )
    assert fields_of(refused) == {"department", "owner"}


# --- the workflow -------------------------------------------------------------------------------


def test_submit_needs_objectives_each_with_its_plan(world):
    empty = draft_set(world, world.A, 2026, objectives=0)
    with pytest.raises(InvalidTransition, match="at least one objective"):
        services.objective_set_submit(actor=world.an, objective_set=empty)
    services.objective_create(actor=world.an, objective_set=empty, data=objective_data())
    with pytest.raises(InvalidTransition, match="no plan"):
        services.objective_set_submit(actor=world.an, objective_set=empty)
    empty.refresh_from_db()
    assert empty.status == SetStatus.DRAFT


def test_only_drafters_submit_and_only_the_head_approves_returns_and_issues(world):
    objective_set = draft_set(world, world.A, 2026)
    with pytest.raises(NotPermitted):
        services.objective_set_submit(actor=world.binh, objective_set=objective_set)
    services.objective_set_submit(actor=world.an, objective_set=objective_set)
    assert Notification.objects.filter(user=world.hai).exists()
    for actor in (world.an, world.binh, world.dung):
        with pytest.raises(NotPermitted):
            services.objective_set_approve(actor=actor, objective_set=objective_set)
        with pytest.raises(NotPermitted):
            services.objective_set_return(actor=actor, objective_set=objective_set, reason="x")


def test_the_head_cannot_approve_what_they_submitted(world):
    objective_set = draft_set(world, world.A, 2026)
    services.objective_set_submit(actor=world.hai, objective_set=objective_set)
    with pytest.raises(SeparationOfDutiesViolation):
        services.objective_set_approve(actor=world.hai, objective_set=objective_set)


def test_return_needs_a_reason_and_reopens_editing(world):
    objective_set = draft_set(world, world.A, 2026)
    services.objective_set_submit(actor=world.an, objective_set=objective_set)
    with pytest.raises(ValidationFailed):
        services.objective_set_return(actor=world.hai, objective_set=objective_set, reason=" ")
    with pytest.raises(InvalidTransition):  # submitted: not editable
        services.objective_update(
            actor=world.an, objective=first_objective(objective_set), data={"target": "99"}
        )
    services.objective_set_return(
        actor=world.hai, objective_set=objective_set, reason="Nâng chỉ tiêu"
    )
    services.objective_update(
        actor=world.an, objective=first_objective(objective_set), data={"target": "99"}
    )
    assert first_objective(objective_set).target == Decimal("99")


def test_issue_only_when_approved_with_an_official_number_and_a_date_not_in_the_future(world):
    objective_set = draft_set(world, world.A, 2026)
    with pytest.raises(InvalidTransition):
        services.objective_set_issue(
            actor=world.hai, objective_set=objective_set, number="5", date=datetime.date(2026, 1, 5)
        )
    services.objective_set_submit(actor=world.an, objective_set=objective_set)
    services.objective_set_approve(actor=world.hai, objective_set=objective_set)
    with pytest.raises(ValidationFailed) as refused:
        services.objective_set_issue(
            actor=world.hai,
            objective_set=objective_set,
            number="5",
            date=datetime.date(2026, 7, 16),
        )
    assert fields_of(refused) == {"date"}
    with pytest.raises(ValidationFailed) as refused:
        services.objective_set_issue(
            actor=world.hai,
            objective_set=objective_set,
            number="năm",
            date=datetime.date(2026, 1, 5),
        )
    assert fields_of(refused) == {"number"}
    issued = services.objective_set_issue(
        actor=world.hai, objective_set=objective_set, number="5", date=datetime.date(2026, 7, 15)
    )
    assert issued.status == SetStatus.ISSUED
    assert issued.decision_number == "05/QĐ-A"


def test_a_change_mid_year_is_a_new_version_and_the_old_one_is_kept(world):
    first = issued_set(world, world.A, 2026)
    old = first_objective(first)
    services.measurement_record(actor=world.an, objective=old, period=1, value="97")
    with pytest.raises(InvalidTransition):  # issued objectives are not edited in place
        services.objective_update(actor=world.an, objective=old, data={"target": "95"})
    second = services.objective_set_amend(
        actor=world.an, objective_set=first, change_summary="Hạ chỉ tiêu"
    )
    with pytest.raises(InvalidTransition, match="already in preparation"):
        services.objective_set_amend(actor=world.an, objective_set=first)
    new = first_objective(second)
    assert new.lineage == old.lineage and new.previous == old and new.pk != old.pk
    services.objective_update(actor=world.an, objective=new, data={"target": "95"})
    issue(world, second, date=datetime.date(2026, 7, 1))
    first.refresh_from_db()
    old.refresh_from_db()
    assert first.status == SetStatus.SUPERSEDED
    assert old.target == Decimal("98")  # kept as it was
    assert [
        v.objective_set.revision for v in selectors.versions_of(user=world.an, objective=new)
    ] == [2, 1]
    # the measurement of Q1 stays, judged against the target it was recorded under
    rows = selectors.period_rows(
        objective=new,
        measurements=selectors.measurements_of(user=world.an, objective=new),
        today=datetime.date(2026, 7, 15),
    )
    assert rows[0].measurement.value == Decimal("97") and rows[0].met is False
    with pytest.raises(InvalidTransition):  # a superseded revision is no longer measured
        services.measurement_record(actor=world.an, objective=old, period=2, value="99")


# --- measurements ------------------------------------------------------------------------------


def test_a_measurement_is_met_or_not_against_the_target(world):
    objective = first_objective(issued_set(world, world.A, 2026))
    m1 = services.measurement_record(actor=world.an, objective=objective, period=1, value="98")
    m2 = services.measurement_record(actor=world.an, objective=objective, period=2, value="97,5")
    assert (m1.met, m2.met) == (True, False)
    found = selectors.objective_get(user=world.an, pk=objective.pk)
    assert (found.measured, found.missed, found.result) == (2, 1, Result.NOT_MET)


def test_recording_a_period_again_corrects_it_and_audits_before_and_after(world):
    objective = first_objective(issued_set(world, world.A, 2026))
    services.measurement_record(actor=world.an, objective=objective, period=1, value="90")
    services.measurement_record(actor=world.an, objective=objective, period=1, value="99")
    assert Measurement.objects.get().value == Decimal("99")
    event = AuditEvent.objects.get(action="measurement.update")
    assert event.changes["value"] == ["90.00", "99"]


def test_a_measurement_outside_the_year_is_refused(world):
    objective = first_objective(issued_set(world, world.A, 2026))
    for period in (0, 5, "x"):
        with pytest.raises(ValidationFailed) as refused:
            services.measurement_record(
                actor=world.an, objective=objective, period=period, value="99"
            )
        assert fields_of(refused) == {"period"}
    assert not Measurement.objects.exists()


def test_a_period_is_measured_from_its_first_day(world, july):
    objective = first_objective(issued_set(world, world.A, 2026))
    july.move_to(at(2026, 6, 30, 23))
    with pytest.raises(ValidationFailed, match="not started"):
        services.measurement_record(actor=world.an, objective=objective, period=3, value="99")
    july.move_to(at(2026, 7, 1, 0))
    services.measurement_record(actor=world.an, objective=objective, period=3, value="99")


def test_the_owner_measures_other_staff_do_not(world):
    from eiso.objectives.tests.factories import person

    objective_set = draft_set(world, world.A, 2026, objectives=0)
    objective = services.objective_create(
        actor=world.an, objective_set=objective_set, data=objective_data(owner=world.binh)
    )
    services.plan_action_create(actor=world.an, objective=objective, data=action_data(2026))
    issue(world, objective_set)
    services.measurement_record(actor=world.binh, objective=objective, period=1, value="99")
    other = person(world, world.A, "staff", "nhanvien2")
    with pytest.raises(NotPermitted):
        services.measurement_record(actor=other, objective=objective, period=2, value="99")
    with pytest.raises(NotPermitted):
        services.measurement_record(actor=world.dung, objective=objective, period=2, value="99")


def test_evidence_is_checked_by_its_content(world):
    objective = first_objective(issued_set(world, world.A, 2026))
    fake = SimpleUploadedFile("bang-ke.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationFailed) as refused:
        services.measurement_record(
            actor=world.an, objective=objective, period=1, value="99", evidence=fake
        )
    assert fields_of(refused) == {"evidence"}
    real = SimpleUploadedFile("bang-ke.pdf", b"%PDF-1.4 bang ke ho so")
    saved = services.measurement_record(
        actor=world.an, objective=objective, period=1, value="99", evidence=real
    )
    assert saved.evidence_name == "bang-ke.pdf"


# --- the evaluation report ------------------------------------------------------------------


def test_finalizing_needs_a_date_and_the_causes_of_every_objective_missed(world):
    objective_set = issued_set(world, world.A, 2026, objectives=2)
    missed, met = list(objective_set.objectives.order_by("number"))
    services.measurement_record(actor=world.an, objective=missed, period=1, value="90")
    services.measurement_record(actor=world.an, objective=met, period=1, value="99")
    report = services.evaluation_save(actor=world.an, agency=world.A, year=2026)
    with pytest.raises(InvalidTransition, match="date"):
        services.evaluation_finalize(actor=world.an, report=report)
    report = services.evaluation_save(
        actor=world.an, agency=world.A, year=2026, report_date=datetime.date(2026, 7, 10)
    )
    with pytest.raises(InvalidTransition, match="objective 1"):
        services.evaluation_finalize(actor=world.an, report=report)
    services.evaluation_save(
        actor=world.an,
        agency=world.A,
        year=2026,
        report_date=datetime.date(2026, 7, 10),
        assessments={str(missed.lineage): {"assessment": "Chưa đạt", "causes": "Thiếu nhân lực"}},
    )
    final = services.evaluation_finalize(actor=world.an, report=report)
    assert final.status == "final"
    # frozen: a later measurement no longer changes the final report
    services.measurement_record(actor=world.an, objective=met, period=2, value="10")
    rows = selectors.report_rows(report=final)
    assert [r.result for r in rows] == [Result.NOT_MET, Result.MET]
    assert rows[0].causes == "Thiếu nhân lực"
    with pytest.raises(InvalidTransition):
        services.evaluation_save(actor=world.an, agency=world.A, year=2026, summary="sửa")


def test_a_report_dated_in_the_future_or_another_year_is_refused(world):
    for day in (datetime.date(2026, 7, 16), datetime.date(2025, 12, 31)):
        with pytest.raises(ValidationFailed) as refused:
            services.evaluation_save(actor=world.an, agency=world.A, year=2026, report_date=day)
        assert fields_of(refused) == {"report_date"}


def test_objectives_not_met_is_the_hook_for_nonconformities(world):
    objective_set = issued_set(world, world.A, 2026, objectives=2)
    missed = first_objective(objective_set)
    services.measurement_record(actor=world.an, objective=missed, period=1, value="50")
    found = selectors.objectives_not_met(user=world.an, agency=world.A, year=2026)
    assert list(found) == [missed]
    assert list(selectors.objectives_not_met(user=world.chi, agency=world.A, year=2026)) == []


def test_issuing_dated_in_january_on_both_sides_of_the_deadline(world):
    with time_machine.travel(at(2027, 2, 15), tick=False):
        on_time = issued_set(world, world.A, 2027, date=datetime.date(2027, 1, 31))
        late = issued_set(world, world.B, 2027, date=datetime.date(2027, 2, 1))
        rows = {a.code: a for a in selectors.overview_agencies(user=world.dung, year=2027)}
    assert rows["A"].on_time is True and rows["B"].on_time is False
    assert on_time.decision_date < late.decision_date
    assert head(world, world.B).username == "headb"


def test_a_revision_is_submitted_only_with_what_changed(world):
    revision = services.objective_set_amend(
        actor=world.an, objective_set=issued_set(world, world.A, 2026), change_summary=""
    )
    with pytest.raises(InvalidTransition, match="what changed"):
        services.objective_set_submit(actor=world.an, objective_set=revision)
    submitted = services.objective_set_submit(
        actor=world.an, objective_set=revision, change_summary="Hạ chỉ tiêu mục tiêu 1"
    )
    assert submitted.status == SetStatus.SUBMITTED and submitted.revision == 2
