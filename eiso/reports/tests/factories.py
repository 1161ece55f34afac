"""Reports built through the services, as the ISO secretary and the head would."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.objectives.tests.factories import head, secretary
from eiso.reports import services
from eiso.reports.tests.signing import png_scan


def draft_report(world, agency=None, *, year: int | None = None):
    agency = agency or world.A
    return services.annual_report_start(
        actor=secretary(world, agency), agency=agency, year=year or timezone.localdate().year
    )


def approved_report(world, agency=None, **kwargs):
    agency = agency or world.A
    report = draft_report(world, agency, **kwargs)
    services.annual_report_update(
        actor=secretary(world, agency),
        report=report,
        data={
            "assessment": "Hệ thống được duy trì, cải tiến thường xuyên.",
            "difficulties": "Nhân sự thay đổi nhiều.",
            "recommendations": "Đề nghị Sở tổ chức tập huấn.",
        },
    )
    return services.annual_report_approve(actor=head(world, agency), report=report)


def submitted_report(world, agency=None, *, number: str = "12", **kwargs):
    agency = agency or world.A
    report = approved_report(world, agency, **kwargs)
    return services.annual_report_submit(
        actor=secretary(world, agency),
        report=report,
        number=number,
        report_date=timezone.localdate(),
        upload=SimpleUploadedFile("scan.png", png_scan()),
    )


def inspection_plan(world, *agencies, province=None):
    """The 2026 inspection plan of ``province`` (P by default) inspecting ``agencies``, approved,
    its team formed (the Sở KH&CN's ``bao`` leads it): (plan, [inspections])."""
    import time_machine

    from eiso.inspections.tests.factories import at, ready

    with time_machine.travel(at(2026, 6, 1), tick=False):
        return ready(world, *agencies, agency=province)


def record(world, inspection, record_date=None):
    """The team answers every checklist item and makes the inspection record (biên bản) of
    ``inspection`` on ``record_date`` (15/06/2026 by default, inside the plan's period), through
    the inspections' services."""
    import datetime

    import time_machine

    from eiso.inspections import services as inspection_services
    from eiso.inspections.choices import Result
    from eiso.inspections.tests.factories import at, science_department, started

    record_date = record_date or datetime.date(2026, 6, 15)
    with time_machine.travel(at(record_date.year, record_date.month, record_date.day), tick=False):
        inspector = science_department(world).bao
        inspection = started(world, inspection, inspector)
        for answer in inspection.answers.all():
            inspection_services.answer_give(
                actor=inspector, answer=answer, result=Result.PASS, note="Đã đối chiếu hồ sơ"
            )
        return inspection_services.inspection_conclude(
            actor=inspector, inspection=inspection, record_date=record_date, conclusion="Đạt"
        )


def inspected(world, *agencies, province=None, record_date=None):
    """``agencies`` inspected in 2026 in a plan of ``province`` (P by default): their records
    made on ``record_date``. Returns the plan."""
    plan, inspections = inspection_plan(world, *agencies, province=province)
    for inspection in inspections:
        record(world, inspection, record_date)
    return plan
