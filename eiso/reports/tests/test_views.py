"""The reports' pages: isolation on every page, pinned query counts on the lists, the flow from
the pages (generate, write, approve, submit with the file, receive, return), the files say what
the page says, the province's summary and the transition report for overseers only."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from eiso.core.testing import IsolationContract
from eiso.reports import content, services
from eiso.reports.models import AnnualReport, ProvincialReport
from eiso.reports.tests.factories import (
    approved_report,
    draft_report,
    inspected,
    submitted_report,
)
from eiso.reports.tests.signing import png_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december", "media_in_tmp")]
KEEPER = {"A": "an", "B": "chi", "C": "cuong"}


class TestAnnualReportIsolation(IsolationContract):
    def make(self, world, agency):
        return draft_report(world, agency)

    def list_url(self):
        return reverse("reports:annual_list")

    def marker(self, obj):
        return f'data-testid="annual-{obj.agency.code}-{obj.year}-{obj.version}"'

    def read_urls(self, obj):
        return [
            reverse("reports:annual_detail", args=[obj.pk]),
            reverse("reports:annual_docx", args=[obj.pk]),
            reverse("reports:annual_pdf", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        return [
            ("post", reverse("reports:annual_edit", args=[obj.pk]), {"assessment": "x"}),
            ("post", reverse("reports:annual_regenerate", args=[obj.pk]), {}),
            ("post", reverse("reports:annual_approve", args=[obj.pk]), {}),
            ("post", reverse("reports:annual_submit", args=[obj.pk]), {"number": "1"}),
        ]

    def create_request(self, world, agency):
        return ("post", reverse("reports:annual_start") + f"?agency={agency.pk}", {"year": 2026})

    def count(self):
        return AnnualReport.objects.count()


def text_of(response) -> str:
    return response.content.decode()


def test_the_secretary_generates_writes_and_submits_from_the_pages(client, world):
    client.force_login(world.an)
    response = client.post(reverse("reports:annual_start"), {"year": 2026})
    report = AnnualReport.objects.get(agency=world.A)
    assert response.status_code == 302 and response.url.endswith(f"/annual/{report.pk}/")
    response = client.post(
        reverse("reports:annual_edit", args=[report.pk]),
        {
            "assessment": "Đánh giá chung tốt.",
            "difficulties": "Khó khăn A",
            "recommendations": "Kiến nghị B",
            "signer_name": "Đặng Văn Hải",
            "signer_title": "GIÁM ĐỐC",
            "edit_version": report.edit_version,
        },
    )
    assert response.status_code == 302
    client.force_login(world.hai)
    assert client.post(reverse("reports:annual_approve", args=[report.pk])).status_code == 302
    client.force_login(world.an)
    response = client.post(
        reverse("reports:annual_submit", args=[report.pk]),
        {
            "number": "12",
            "report_date": "10/12/2026",
            "signed_file": SimpleUploadedFile("scan.png", png_scan()),
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    client.force_login(world.dung)
    page = text_of(client.get(reverse("reports:annual_detail", args=[report.pk])))
    assert 'data-testid="annual-receive"' in page and 'data-testid="annual-return"' in page
    assert client.post(reverse("reports:annual_receive", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == "received"


def test_a_refused_submission_keeps_what_was_typed(client, world):
    report = approved_report(world)
    client.force_login(world.an)
    response = client.post(
        reverse("reports:annual_submit", args=[report.pk]),
        {
            "number": "12/QĐ-XYZ",
            "report_date": "10/12/2026",
            "signed_file": SimpleUploadedFile("scan.png", png_scan()),
        },
    )
    assert response.status_code == 200
    assert "12/QĐ-XYZ" in text_of(response)


def test_the_overseer_returns_it_with_a_reason_from_the_page(client, world):
    report = submitted_report(world)
    client.force_login(world.dung)
    response = client.post(
        reverse("reports:annual_return", args=[report.pk]), {"reason": "Thiếu phần đào tạo"}
    )
    assert response.status_code == 302
    client.force_login(world.an)
    page = text_of(client.get(reverse("reports:annual_detail", args=[report.pk])))
    assert "Thiếu phần đào tạo" in page and 'data-testid="annual-correct"' in page


def test_the_files_say_what_the_page_says(client, world):
    report = approved_report(world)
    client.force_login(world.an)
    page = text_of(client.get(reverse("reports:annual_detail", args=[report.pk])))
    docx = Docx(io.BytesIO(client.get(reverse("reports:annual_docx", args=[report.pk])).content))
    docx_text = "\n".join(p.text for p in docx.paragraphs) + "\n".join(
        cell.text for table in docx.tables for row in table.rows for cell in row.cells
    )
    pdf = client.get(reverse("reports:annual_pdf", args=[report.pk])).content
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for line in (
        "I. THÔNG TIN CHUNG",
        "II. TÌNH HÌNH DUY TRÌ",
        "Hệ thống được duy trì, cải tiến thường xuyên.",
        "Đề nghị Sở tổ chức tập huấn.",
    ):
        assert line in page and line in docx_text, line
        assert " ".join(line.split()[:3]) in " ".join(pdf_text.split()), line
    assert "BÁO CÁO" in docx_text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in docx_text


def test_the_list_keeps_its_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    url = reverse("reports:annual_list")
    submitted_report(world)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    submitted_report(world, world.B)
    draft_report(world, world.A, year=2025)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


# --- the province's summary ------------------------------------------------------------------


class TestProvincialReportIsolation(IsolationContract):
    viewer = "dung"
    outsider = "em"
    overseer = "dung"
    overseer_may_change = True
    home = "P"
    foreign = "Q"
    outside_overseer_agency = "Q"

    def make(self, world, agency):
        actor = world.dung if agency.code == "P" else world.em
        return services.provincial_report_start(actor=actor, agency=agency, year=2026)

    def list_url(self):
        return reverse("reports:provincial_list")

    def marker(self, obj):
        return reverse("reports:provincial_detail", args=[obj.pk])

    def read_urls(self, obj):
        return [
            reverse("reports:provincial_detail", args=[obj.pk]),
            reverse("reports:provincial_docx", args=[obj.pk]),
            reverse("reports:provincial_pdf", args=[obj.pk]),
            reverse("reports:provincial_xlsx", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        return [
            ("post", reverse("reports:provincial_edit", args=[obj.pk]), {"limits": "x"}),
            ("post", reverse("reports:provincial_submit", args=[obj.pk]), {"number": "1"}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            reverse("reports:provincial_start"),
            {"agency": agency.pk, "year": 2026},
        )

    def count(self):
        return ProvincialReport.objects.count()


def test_agency_people_do_not_reach_the_summaries(client, world):
    report = services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    client.force_login(world.an)
    assert client.get(reverse("reports:provincial_list")).status_code == 404
    assert client.get(reverse("reports:provincial_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:transition")).status_code == 404


def test_the_summary_page_and_its_workbook_agree(client, world):
    submitted_report(world)
    report = services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    client.force_login(world.dung)
    page = text_of(client.get(reverse("reports:provincial_detail", args=[report.pk])))
    assert 'data-testid="not-reported-count">2<' in page
    sheets = load_workbook(
        io.BytesIO(client.get(reverse("reports:provincial_xlsx", args=[report.pk])).content)
    )
    total = [r for r in sheets["Tong hop"].iter_rows(values_only=True) if r[0] == "Tổng cộng"]
    assert total and total[0][7] == "1/3"  # reported / bound by the obligations
    missing = [
        r[1] for r in sheets["Chua bao cao"].iter_rows(values_only=True) if r[1] in ("P", "B")
    ]
    assert sorted(missing) == ["B", "P"]
    assert "1/3" in page


def test_the_transition_page(client, world):
    client.force_login(world.dung)
    page = text_of(client.get(reverse("reports:transition")))
    assert 'data-testid="transition-table"' in page
    response = client.get(reverse("reports:transition") + "?export=xlsx")
    assert response.status_code == 200


def test_the_provincial_list_keeps_its_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    client.get(reverse("reports:provincial_list"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("reports:provincial_list"))
    services.provincial_report_start(actor=world.dung, agency=world.P, year=2025)
    services.provincial_report_start(actor=world.dung, agency=world.A, year=2026)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("reports:provincial_list"))


def test_the_page_and_every_file_count_the_agencies_inspected(client, world):
    inspected(world, world.A, world.B)  # records made on 15/06/2026 in P's approved plan
    report = services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)
    client.force_login(world.dung)
    column = content.SUMMARY_HEADERS.index("Đã được kiểm tra")
    page = text_of(client.get(reverse("reports:provincial_detail", args=[report.pk])))
    assert "<th>Đã được kiểm tra</th>" in page
    page_total = page[page.index("<td>Tổng cộng</td>") :].split("</tr>")[0]
    assert page_total.split("<td>")[column + 1].startswith("2</td>")
    sentence = "2 cơ quan, đơn vị đã được Sở Khoa học và Công nghệ kiểm tra trong năm 2026"
    assert sentence in page
    sheets = load_workbook(
        io.BytesIO(client.get(reverse("reports:provincial_xlsx", args=[report.pk])).content)
    )
    rows = list(sheets["Tong hop"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Cấp")
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert header[column] == "Đã được kiểm tra" and total[column] == "2"
    docx = Docx(
        io.BytesIO(client.get(reverse("reports:provincial_docx", args=[report.pk])).content)
    )
    table = next(t for t in docx.tables if t.rows[0].cells[0].text == "Cấp")
    assert table.rows[0].cells[column].text == "Đã được kiểm tra"
    assert table.rows[-1].cells[column].text == "2"
    assert sentence in "\n".join(p.text for p in docx.paragraphs)
    pdf = client.get(reverse("reports:provincial_pdf", args=[report.pk])).content
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "kiểm tra trong năm 2026" in " ".join(pdf_text.split())
