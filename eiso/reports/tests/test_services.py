"""The reports' services: the annual report generated from the reporting period's records, its
narrative, the head's approval, the submission with the signed file (number in its official
shape, lateness against the rule set's due date), receipt, return with a reason and the
corrected version — nothing submitted is ever edited; the province's summary (figures by tier,
agencies that have not reported, reproducible for a day, fixed when sent); the transition
report."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.models import Notification
from eiso.cycle import selectors as cycle_selectors
from eiso.cycle.tests.year import build_year
from eiso.objectives.tests.conftest import at
from eiso.qms.models import Announcement, QualitySystem
from eiso.reports import content, provincial, selectors, services, transition
from eiso.reports.models import AnnualReport, TransitionRule
from eiso.reports.tests.factories import (
    approved_report,
    draft_report,
    inspected,
    inspection_plan,
    record,
    submitted_report,
)
from eiso.reports.tests.signing import png_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december", "media_in_tmp")]


def upload():
    return SimpleUploadedFile("scan.png", png_scan())


def test_the_report_is_generated_from_the_period_s_records(world):
    with time_machine.travel(at(2023, 12, 12), tick=False):
        build_year(world)
        AnnualReport.objects.filter(agency=world.A).delete()  # the year's report, not yet made
        report = services.annual_report_start(actor=world.an, agency=world.A, year=2023)
    assert (report.period_start, report.period_end) == (
        datetime.date(2022, 12, 15),
        datetime.date(2023, 12, 14),
    )
    data = report.data
    assert data["identity"]["agency"] == world.A.name
    assert [a["number"] for a in data["announcements"]] == ["20/QĐ-A", "88/QĐ-A"]
    assert data["audit"]["count"] == 1 and data["review"]["count"] == 1
    assert data["objectives"]["issued_on"] == "2023-01-16"
    assert data["legal_updates"]["done"] == 1
    assert data["obligations"]["overdue"] == 1  # the third quarter's master-list review


def test_only_the_agency_s_keepers_start_it_and_once_a_year(world):
    with pytest.raises(NotPermitted):
        services.annual_report_start(actor=world.binh, agency=world.A, year=2026)
    with pytest.raises(NotPermitted):
        services.annual_report_start(actor=world.dung, agency=world.A, year=2026)
    draft_report(world)
    with pytest.raises(ValidationFailed):
        draft_report(world)


def test_the_head_approves_after_the_assessment_is_written(world):
    report = draft_report(world)
    with pytest.raises(NotPermitted):
        services.annual_report_approve(actor=world.an, report=report)
    with pytest.raises(InvalidTransition, match="assessment"):
        services.annual_report_approve(actor=world.hai, report=report)
    services.annual_report_update(actor=world.an, report=report, data={"assessment": "Tốt."})
    services.annual_report_approve(actor=world.hai, report=report)
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == world.hai


def test_a_concurrent_edit_is_refused(world):
    report = draft_report(world)
    version = report.edit_version
    services.annual_report_update(
        actor=world.an, report=report, data={"assessment": "A"}, edit_version=version
    )
    from eiso.core.errors import ConcurrentEdit

    with pytest.raises(ConcurrentEdit):
        services.annual_report_update(
            actor=world.an, report=report, data={"assessment": "B"}, edit_version=version
        )


def test_submission_records_the_number_the_file_and_the_overseer_is_told(world):
    report = approved_report(world)
    services.annual_report_submit(
        actor=world.an,
        report=report,
        number="12",
        report_date=timezone.localdate(),
        upload=upload(),
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.number == "12/BC-STP" or report.number.startswith("12/BC-")
    assert report.due == datetime.date(2026, 12, 15) and report.late is False
    assert Notification.objects.filter(user=world.dung, url__contains=str(report.pk)).exists()
    assert not Notification.objects.filter(user=world.em).exists()


def test_submission_needs_a_number_in_shape_a_past_date_and_the_file(world):
    report = approved_report(world)
    for kwargs in (
        {"number": "", "report_date": timezone.localdate(), "upload": upload()},
        {"number": "12/QĐ-A", "report_date": timezone.localdate(), "upload": upload()},
        {
            "number": "12",
            "report_date": timezone.localdate() + datetime.timedelta(days=1),
            "upload": upload(),
        },
        {"number": "12", "report_date": timezone.localdate(), "upload": None},
    ):
        with pytest.raises(ValidationFailed):
            services.annual_report_submit(actor=world.an, report=report, **kwargs)
    report.refresh_from_db()
    assert report.status == "approved"


def test_a_report_submitted_after_the_due_date_is_late(world):
    report = approved_report(world)
    with time_machine.travel(at(2026, 12, 18), tick=False):
        services.annual_report_submit(
            actor=world.an,
            report=report,
            number="13",
            report_date=timezone.localdate(),
            upload=upload(),
        )
    report.refresh_from_db()
    assert report.late is True
    found = cycle_selectors.agency_obligations(
        agency=world.A, year=2026, on=datetime.date(2026, 12, 20)
    )
    annual = next(o for o in found.obligations if o.code == "annual_report")
    assert annual.state == "met_late" and annual.met_on == datetime.date(2026, 12, 18)


def test_a_submitted_report_is_never_edited(world):
    report = submitted_report(world)
    for call in (
        lambda: services.annual_report_update(
            actor=world.an, report=report, data={"assessment": "x"}
        ),
        lambda: services.annual_report_regenerate(actor=world.an, report=report),
        lambda: services.annual_report_reopen(actor=world.an, report=report),
    ):
        with pytest.raises(InvalidTransition):
            call()


def test_the_overseer_receives_or_returns_it_with_a_reason(world):
    report = submitted_report(world)
    with pytest.raises(NotPermitted):
        services.annual_report_receive(actor=world.em, report=report)
    with pytest.raises(ValidationFailed):
        services.annual_report_return(actor=world.dung, report=report, reason="  ")
    services.annual_report_return(actor=world.dung, report=report, reason="Thiếu số liệu đào tạo")
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "Thiếu số liệu đào tạo"
    assert Notification.objects.filter(user=world.an, message__contains="Thiếu số liệu").exists()
    with pytest.raises(InvalidTransition):
        services.annual_report_receive(actor=world.dung, report=report)


def test_a_returned_report_is_corrected_as_a_new_version(world):
    report = submitted_report(world)
    services.annual_report_return(actor=world.dung, report=report, reason="Sửa số liệu")
    corrected = services.annual_report_correct(actor=world.an, report=report)
    assert (corrected.version, corrected.status, corrected.previous) == (2, "draft", report)
    assert corrected.assessment == report.assessment
    with pytest.raises(InvalidTransition):
        services.annual_report_correct(actor=world.an, report=report)
    report.refresh_from_db()
    assert report.status == "returned"  # kept as it was
    assert AnnualReport.objects.filter(agency=world.A).count() == 2


def test_the_obligation_counts_a_returned_report_only_once_corrected(world):
    report = submitted_report(world)
    services.annual_report_return(actor=world.dung, report=report, reason="Sửa")
    found = cycle_selectors.agency_obligations(agency=world.A, year=2026, on=timezone.localdate())
    assert next(o for o in found.obligations if o.code == "annual_report").met is False


# --- the province's summary -------------------------------------------------------------------


def test_the_summary_counts_by_tier_and_lists_who_has_not_reported(world):
    submitted_report(world)
    figures = provincial.compute(user=world.dung, root=world.P, year=2026, on=timezone.localdate())
    total = figures.total
    assert total["agencies"] == 3 and total["reported"] == 1
    assert {a["code"] for a in figures.not_reported} == {"P", "B"}
    assert [a["code"] for a in figures.annex] == ["P", "A", "B"]


def test_the_same_day_gives_the_same_figures(world):
    on = timezone.localdate()
    before = provincial.compute(user=world.dung, root=world.P, year=2026, on=on).as_json()
    with time_machine.travel(at(2026, 12, 14), tick=False):
        submitted_report(world, world.B)
        Announcement.objects.create(
            agency=world.B,
            kind="first",
            number="30/QĐ-B",
            date=datetime.date(2026, 12, 14),
            signer_name="X",
            signer_title="GĐ",
            standard_version="2015",
            status="signed",
        )
    again = provincial.compute(user=world.dung, root=world.P, year=2026, on=on).as_json()
    assert again == before
    later = provincial.compute(
        user=world.dung, root=world.P, year=2026, on=datetime.date(2026, 12, 14)
    )
    assert later.total["reported"] == 1 and later.total["announced"] == 1


def test_the_summary_is_prepared_written_and_sent_with_its_figures_fixed(world):
    report = services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    assert report.as_of == timezone.localdate()
    with pytest.raises(NotPermitted):
        services.provincial_report_start(actor=world.an, agency=world.A, year=2026)
    services.provincial_report_update(
        actor=world.dung, report=report, data={"direction": "Sở đã hướng dẫn.", "limits": "Ít."}
    )
    services.provincial_report_submit(
        actor=world.dung,
        report=report,
        number="5",
        report_date=timezone.localdate(),
        upload=upload(),
    )
    report.refresh_from_db()
    assert report.status == "submitted" and report.data["rows"][-1]["agencies"] == 3
    with pytest.raises(InvalidTransition):
        services.provincial_report_update(actor=world.dung, report=report, data={"limits": "x"})
    corrected = services.provincial_report_correct(actor=world.dung, report=report)
    assert corrected.version == 2 and corrected.direction == "Sở đã hướng dẫn."


# --- the transition ------------------------------------------------------------------------------


def test_the_transition_report_lists_late_and_missing_conversions(world):
    rule = TransitionRule.objects.get(from_version="2008", to_version="2015")

    def announce(agency, version, day, number):
        Announcement.objects.create(
            agency=agency,
            kind="first",
            number=number,
            date=day,
            signer_name="X",
            signer_title="GĐ",
            standard_version=version,
            status="received",
        )

    announce(world.A, "2008", datetime.date(2016, 5, 1), "10/QĐ-A")
    announce(world.A, "2015", datetime.date(2020, 3, 1), "11/QĐ-A")
    announce(world.B, "2008", datetime.date(2016, 5, 1), "10/QĐ-B")
    announce(world.B, "2015", datetime.date(2021, 9, 1), "11/QĐ-B")
    announce(world.P, "2008", datetime.date(2017, 5, 1), "10/QĐ-P")
    QualitySystem.objects.create(agency=world.C, standard_version="2008", status="applied")
    found = transition.transition_report(
        user=world.dung, root=world.P, rule=rule, on=datetime.date(2022, 1, 1)
    )
    status = {row.code: row.transition for row in found.rows}
    assert status == {"A": "on_time", "B": "late", "P": "not_converted"}
    assert [r.code for r in found.late_or_missing] == ["B", "P"]
    before = transition.transition_report(
        user=world.dung, root=world.P, rule=rule, on=datetime.date(2020, 6, 1)
    )
    assert {r.code: r.transition for r in before.rows}["B"] == "pending"


# --- the agencies inspected (the inspections module's count) ----------------------------------


def test_the_summary_counts_the_agencies_inspected_in_the_year(world):
    inspected(world, world.A, world.B)  # records made on 15/06/2026 in P's approved plan
    inspected(world, world.C, province=world.Q)  # another province's: never counted in P's
    figures = provincial.compute(user=world.dung, root=world.P, year=2026, on=timezone.localdate())
    by_tier = {row["tier"]: row["inspected"] for row in figures.rows}
    assert by_tier == {"provincial": 2, "": 2}  # A and B (Sở), the total
    assert figures.as_json()["rows"][-1]["inspected"] == 2
    before = provincial.compute(
        user=world.dung, root=world.P, year=2026, on=datetime.date(2026, 6, 14)
    )
    assert before.total["inspected"] == 0  # the records are dated 15/06
    on_the_day = provincial.compute(
        user=world.dung, root=world.P, year=2026, on=datetime.date(2026, 6, 15)
    )
    assert on_the_day.total["inspected"] == 2
    assert (
        provincial.compute(user=world.dung, root=world.P, year=2025, on=timezone.localdate()).total[
            "inspected"
        ]
        == 0
    )
    others = provincial.compute(user=world.em, root=world.Q, year=2026, on=timezone.localdate())
    assert others.total["inspected"] == 1  # C only: P's inspections stay in P
    assert (
        provincial.compute(user=world.dung, root=world.A, year=2026, on=timezone.localdate()).total[
            "inspected"
        ]
        == 1
    )


def test_a_sent_summary_keeps_the_inspected_count_it_was_sent_with(world):
    _plan, (a, b) = inspection_plan(world, world.A, world.B)
    record(world, a)
    report = services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    services.provincial_report_submit(
        actor=world.dung,
        report=report,
        number="5",
        report_date=timezone.localdate(),
        upload=upload(),
    )
    record(world, b, datetime.date(2026, 6, 16))  # made after the sending, dated before its day
    report.refresh_from_db()
    kept = selectors.figures_of(user=world.dung, report=report)
    assert kept.total["inspected"] == 1  # as sent, though B's record now counts for the day
    live = provincial.compute(user=world.dung, root=world.P, year=2026, on=report.as_of)
    assert live.total["inspected"] == 2


def test_a_summary_kept_before_inspections_were_counted_says_so_with_a_dash(world):
    report = services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    figures = provincial.compute(user=world.dung, root=world.P, year=2026, on=report.as_of)
    data = figures.as_json()
    for row in data["rows"]:
        del row["inspected"]
    old = provincial.ProvincialFigures.from_json(data, root=world.P)
    cells = content.summary_row(old.total)
    assert cells[content.SUMMARY_HEADERS.index("Đã được kiểm tra")] == "—"
    assert "kiểm tra trong năm" not in content.summary_sections(report, old)[1].lines[0]


def test_the_summary_costs_the_same_whatever_the_number_of_agencies_inspected(
    world, django_assert_num_queries
):
    on = timezone.localdate()
    provincial.compute(user=world.dung, root=world.P, year=2026, on=on)
    # 11 queries before the inspections were counted; inspected_counts adds one
    with django_assert_num_queries(12):
        provincial.compute(user=world.dung, root=world.P, year=2026, on=on)
    inspected(world, world.A, world.B)
    submitted_report(world, world.A)
    with django_assert_num_queries(12):
        figures = provincial.compute(user=world.dung, root=world.P, year=2026, on=on)
    assert figures.total["inspected"] == 2
