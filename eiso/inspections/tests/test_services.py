"""Inspection services: the plan and its two decisions, the team (a member from an inspected
agency refused, both ways), the checklist pre-filled from the platform during the period only,
corrections that say why, findings sent back as nonconformities, the record, remediation and
follow-up, and the figures of the summary (announced by the inspection day, counted from the
announcements on both sides of that day)."""

import datetime

import pytest
import time_machine

from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.scoping import forget_scope
from eiso.improvements.models import Nonconformity
from eiso.inspections import selectors, services
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, Result, TeamRole
from eiso.inspections.tests.factories import (
    add,
    approve,
    at,
    form_team,
    make_plan,
    ready,
    science_department,
    started,
)
from eiso.qms.models import Announcement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


def test_only_overseers_of_the_subtree_draft_a_plan(world):
    with pytest.raises(NotPermitted):
        services.plan_create(
            actor=world.an,
            agency=world.A,
            data={
                "year": 2026,
                "period_start": datetime.date(2026, 6, 1),
                "period_end": datetime.date(2026, 9, 30),
            },
        )
    with pytest.raises(NotPermitted):  # the overseer of another province
        services.plan_create(
            actor=world.em,
            agency=world.P,
            data={
                "year": 2026,
                "period_start": datetime.date(2026, 6, 1),
                "period_end": datetime.date(2026, 9, 30),
            },
        )
    plan = make_plan(world)
    assert plan.status == PlanStatus.DRAFT and plan.checklist_version.questions.count() == 11
    assert "2026" in plan.title


def test_a_plan_is_once_a_year_and_its_period_lies_within_the_year(world):
    make_plan(world)
    with pytest.raises(ValidationFailed) as refused:
        make_plan(world)
    assert "year" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        make_plan(world, year=2025, start=datetime.date(2025, 6, 1), end=datetime.date(2026, 1, 31))
    assert "period_end" in refused.value.fields


def test_agencies_come_from_the_overseers_subtree_once(world):
    plan = make_plan(world)
    add(world, plan, world.A)
    with pytest.raises(ValidationFailed, match="already in the plan"):
        add(world, plan, world.A)
    with pytest.raises(ValidationFailed, match="not under"):
        add(world, plan, world.C)
    with pytest.raises(ValidationFailed, match="period"):
        add(world, plan, world.B, day=datetime.date(2026, 10, 1))


def test_approval_needs_agencies_and_a_decision_not_dated_in_the_future(world):
    plan = make_plan(world)
    with pytest.raises(InvalidTransition, match="agencies"):
        approve(world, plan)
    add(world, plan, world.A)
    with pytest.raises(ValidationFailed) as refused:
        approve(world, plan, day=datetime.date(2026, 6, 16))
    assert "decision_date" in refused.value.fields
    plan = approve(world, plan, day=datetime.date(2026, 6, 15))
    assert plan.status == PlanStatus.APPROVED
    assert plan.decision_number == "125/QĐ-UBND" and plan.approved_at is not None
    with pytest.raises(InvalidTransition):
        add(world, plan, world.B)


def test_a_member_from_an_inspected_agency_is_refused_both_ways(world):
    plan = make_plan(world)
    add(world, plan, world.A)
    with pytest.raises(ValidationFailed, match="inspected agency") as refused:
        services.team_add(actor=world.dung, plan=plan, role=TeamRole.MEMBER, user=world.binh)
    assert "user" in refused.value.fields
    with pytest.raises(ValidationFailed, match="inspected agency"):
        services.team_add(
            actor=world.dung,
            plan=plan,
            role=TeamRole.MEMBER,
            name="Ông X",
            organisation="Sở Tư pháp tỉnh Phú An",
        )
    # chi (Sở Y tế) joins; then the Sở Y tế cannot be added to the plan
    services.team_add(actor=world.dung, plan=plan, role=TeamRole.MEMBER, user=world.chi)
    with pytest.raises(ValidationFailed, match="works in"):
        add(world, plan, world.B)


def test_the_team_has_one_leader_and_one_secretary_and_its_decision_needs_the_leader(world):
    dept = science_department(world)
    plan = make_plan(world)
    add(world, plan, world.A)
    with pytest.raises(ValidationFailed, match="leader"):
        services.plan_team_decision(
            actor=world.dung,
            plan=plan,
            number="130",
            date=datetime.date(2026, 5, 25),
            signer="X",
        )
    services.team_add(actor=world.dung, plan=plan, role=TeamRole.LEADER, user=dept.bao)
    with pytest.raises(ValidationFailed, match="already has"):
        services.team_add(actor=world.dung, plan=plan, role=TeamRole.LEADER, user=world.chi)
    external = services.team_add(
        actor=world.dung,
        plan=plan,
        role=TeamRole.MEMBER,
        name="Lê Văn Ngoài",
        position="Chuyên gia",
        organisation="Trường Đại học Phú An",
    )
    assert external.user is None
    plan = services.plan_team_decision(
        actor=world.dung,
        plan=plan,
        number="130",
        date=datetime.date(2026, 5, 25),
        signer="Nguyễn Văn Tỉnh",
    )
    assert plan.team_formed and plan.team_decision_number == "130/QĐ-UBND"
    assert dept.bao.notifications.filter(url="/inspections/mine/").exists()


def test_the_checklist_starts_only_within_the_period_approved_and_formed(world):
    dept = science_department(world)
    plan = make_plan(world)
    (inspection,) = add(world, plan, world.B)
    services.team_add(actor=world.dung, plan=plan, role=TeamRole.LEADER, user=dept.bao)
    forget_scope(dept.bao)
    with pytest.raises(InvalidTransition, match="approved"):
        services.inspection_start(actor=dept.bao, inspection=inspection)
    approve(world, plan)
    form_team(world, plan, [])
    with time_machine.travel(at(2026, 5, 31, 23, 59), tick=False):
        forget_scope(dept.bao)
        with pytest.raises(InvalidTransition, match="period"):
            services.inspection_start(actor=dept.bao, inspection=inspection)
    with time_machine.travel(at(2026, 6, 1, 0, 1), tick=False):
        forget_scope(dept.bao)
        services.inspection_start(actor=dept.bao, inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    assert inspection.answers.count() == 11


def test_only_the_team_starts_the_checklist(world):
    plan, (inspection,) = ready(world, world.B)
    with pytest.raises(NotPermitted):
        services.inspection_start(actor=world.dung, inspection=inspection)
    with pytest.raises(NotPermitted):
        services.inspection_start(actor=world.chi, inspection=inspection)


def test_the_checklist_is_prefilled_with_what_the_platform_knows(world):
    dept = science_department(world)
    Announcement.objects.create(
        agency=world.B,
        kind="first",
        number="12/QĐ-B",
        date=datetime.date(2025, 3, 1),
        signer_name="x",
        signer_title="y",
        standard_version="2015",
        status="received",
        received_on=datetime.date(2025, 3, 5),
    )
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    by_number = {a.number: a for a in inspection.answers.all()}
    assert by_number["2.1"].platform_result == Result.PASS
    assert "12/QĐ-B" in by_number["2.1"].platform_text
    assert by_number["1.1"].platform_result == Result.FAIL  # no document in force
    assert by_number["5.1"].platform_result == Result.NOT_APPLICABLE  # no consultant
    assert by_number["3.1"].platform_result == Result.PASS  # nothing overdue


def test_a_correction_of_the_platform_says_why_and_a_failure_says_what(world):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    item = inspection.answers.get(number="1.1")  # the platform says: not met
    with pytest.raises(ValidationFailed) as refused:
        services.answer_give(actor=dept.bao, answer=item, result=Result.PASS)
    assert "note" in refused.value.fields
    answered = services.answer_give(
        actor=dept.bao,
        answer=item,
        result=Result.PASS,
        note="Tài liệu bản giấy đầy đủ, chưa đưa lên hệ thống",
    )
    assert answered.corrected
    item = inspection.answers.get(number="1.1")
    with pytest.raises(ValidationFailed, match="does not meet"):
        services.answer_give(actor=dept.bao, answer=item, result=Result.FAIL)
    assert (
        services.answer_give(
            actor=dept.bao,
            answer=inspection.answers.get(number="2.1"),
            result=Result.FAIL,
            note="Chưa công bố",
        ).result
        == Result.FAIL
    )


def test_a_finding_goes_back_to_the_agency_as_a_nonconformity(world):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    with pytest.raises(ValidationFailed) as refused:
        services.finding_record(
            actor=dept.bao,
            inspection=inspection,
            description="x",
            due_date=datetime.date(2026, 6, 15),
        )
    assert "due_date" in refused.value.fields
    finding = services.finding_record(
        actor=dept.bao,
        inspection=inspection,
        description="Chưa cập nhật Nghị định 63/2024/NĐ-CP vào quy trình QT-TTHC-05",
        requirement="Cập nhật văn bản QPPL trong 3 tháng",
        due_date=datetime.date(2026, 8, 15),
        answer=inspection.answers.get(number="3.1"),
    )
    nc = Nonconformity.objects.get(pk=finding.nonconformity_id)
    assert nc.agency == world.B and nc.source == "inspection"
    assert nc.due_date == datetime.date(2026, 8, 15) and "KT-01" in nc.source_ref
    assert world.chi.notifications.filter(url__contains=f"/improvements/{nc.pk}/").exists()


def test_the_record_needs_every_result_and_its_conclusion(world):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    with pytest.raises(InvalidTransition, match="no result"):
        services.inspection_conclude(
            actor=dept.bao,
            inspection=inspection,
            record_date=datetime.date(2026, 6, 15),
            conclusion="Đạt",
        )
    for answer in inspection.answers.all():
        services.answer_give(
            actor=dept.bao, answer=answer, result=Result.NOT_APPLICABLE, note="Kiểm tra thử"
        )
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_conclude(
            actor=dept.bao,
            inspection=inspection,
            record_date=datetime.date(2026, 6, 16),
            conclusion="Đạt",
        )
    assert "record_date" in refused.value.fields
    done = services.inspection_conclude(
        actor=dept.bao,
        inspection=inspection,
        record_date=datetime.date(2026, 6, 15),
        conclusion="Cơ quan đã áp dụng và duy trì HTQLCL.",
    )
    assert done.status == InspectionStatus.CONCLUDED
    assert world.chi.notifications.filter(url=f"/inspections/{inspection.pk}/").exists()


def _concluded_with_a_finding(world):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    for answer in inspection.answers.all():
        services.answer_give(actor=dept.bao, answer=answer, result=Result.FAIL, note="Thiếu")
    services.finding_record(
        actor=dept.bao,
        inspection=inspection,
        description="Thiếu báo cáo năm",
        due_date=datetime.date(2026, 8, 1),
    )
    services.inspection_conclude(
        actor=dept.bao,
        inspection=inspection,
        record_date=datetime.date(2026, 6, 15),
        conclusion="Còn tồn tại",
    )
    inspection.refresh_from_db()
    return dept, plan, inspection


def test_remediation_is_reported_by_the_agency_and_followed_up_by_the_team(world, media_in_tmp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dept, plan, inspection = _concluded_with_a_finding(world)
    with pytest.raises(InvalidTransition, match="remediation"):
        services.inspection_close(actor=dept.bao, inspection=inspection)
    with pytest.raises(NotPermitted):
        services.remediation_report(actor=world.an, inspection=inspection, report="x")
    services.remediation_report(
        actor=world.chi,
        inspection=inspection,
        report="Đã lập và gửi báo cáo năm 2025",
    )
    assert dept.bao.notifications.filter(url__contains="#remediation").exists()
    returned = services.remediation_return(
        actor=dept.bao, inspection=inspection, note="Chưa có bản ký số"
    )
    assert returned.status == InspectionStatus.CONCLUDED
    services.remediation_report(actor=world.chi, inspection=inspection, report="Đã bổ sung")
    with pytest.raises(InvalidTransition, match="signed"):
        services.inspection_close(actor=dept.bao, inspection=inspection)
    scan = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%scan\n%%EOF\n")
    services.record_attach(actor=dept.bao, inspection=inspection, file=scan)
    closed = services.inspection_close(actor=dept.bao, inspection=inspection, note="Đạt")
    assert closed.status == InspectionStatus.CLOSED and closed.closed_on is not None


def test_the_summary_counts_announced_by_the_inspection_day_from_the_announcements(world):
    dept = science_department(world)
    plan = make_plan(world)
    a, b = add(world, plan, world.A, world.B)
    services.plan_visit_update(
        actor=world.dung,
        inspection=a,
        mode=Mode.ON_SITE,
        date=datetime.date(2026, 6, 10),
        place="Trụ sở",
    )
    services.plan_visit_update(
        actor=world.dung, inspection=b, mode=Mode.RECORDS, date=datetime.date(2026, 6, 10)
    )
    approve(world, plan)
    form_team(world, plan, [(dept.bao, TeamRole.LEADER)])
    # A announced on its inspection day (counts), B the day after (does not)
    for agency, day in (
        (world.A, datetime.date(2026, 6, 10)),
        (world.B, datetime.date(2026, 6, 11)),
    ):
        Announcement.objects.create(
            agency=agency,
            kind="first",
            number=f"1/QĐ-{agency.code}",
            date=day,
            signer_name="x",
            signer_title="y",
            standard_version="2015",
            status="signed",
        )
    summary = selectors.plan_summary(plan=plan)
    assert summary.total.in_plan == 2 and summary.total.on_site == 1 and summary.total.records == 1
    assert summary.total.announced == 1 and summary.announced_line == "1/2"
    assert [r.tier for r in summary.rows] == ["provincial"]


def test_inspected_agencies_counts_records_made_by_the_day(world):
    dept, plan, inspection = _concluded_with_a_finding(world)
    on_day = datetime.date(2026, 6, 15)
    assert list(selectors.inspected_agencies(user=world.dung, on=on_day)) == [world.B]
    assert selectors.inspected_counts(user=world.dung, on=on_day) == {"provincial": 1, "total": 1}
    assert not selectors.inspected_agencies(user=world.dung, on=datetime.date(2026, 6, 14))
    assert not selectors.inspected_agencies(user=world.em, on=on_day)
    assert not selectors.inspected_agencies(user=world.dung, year=2025, on=on_day)


def test_completion_needs_every_record_and_the_summary(world):
    dept, plan, inspection = _concluded_with_a_finding(world)
    plan.refresh_from_db()
    with pytest.raises(InvalidTransition, match="summary"):
        services.plan_complete(actor=world.dung, plan=plan)
    services.plan_summary_save(
        actor=world.dung,
        plan=plan,
        data={
            "summary_conclusion": "Các cơ quan cơ bản duy trì HTQLCL",
            "summary_number": "210/BC-SKHCN",
            "summary_date": datetime.date(2026, 6, 15),
        },
    )
    plan.refresh_from_db()
    assert plan.summary_number == "210/BC-SKHCN"
    done = services.plan_complete(actor=world.dung, plan=plan)
    assert done.status == PlanStatus.COMPLETED
