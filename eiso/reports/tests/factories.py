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
