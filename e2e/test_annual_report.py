"""The annual report in a browser (issue 13, "Must show"): the ISO secretary generates the
year's report from the records, writes its narrative, the head approves it, the secretary
submits it with the signed scan; the overseer receives it; the province's summary counts it; the
DOCX, PDF and XLSX say what the pages say (the figures read out of each file and compared).

The clock is stopped on 10/12/2026 (ticking, in the live server's thread too), a few days before
the report is due on 15/12."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import time_machine
from docx import Document as Docx
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import screenshot, settled, sign_in_as
from eiso.objectives.tests.conftest import at
from eiso.reports.models import AnnualReport, ProvincialReport
from eiso.reports.tests.signing import png_scan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def december(e2e_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(at(2026, 12, 10, 8), tick=True):
        yield e2e_world


def goto(page, url):
    page.goto(url)
    settled(page)


def click(page, selector):
    page.locator(selector).first.click()
    settled(page)


def submit_main_form(page):
    click(page, "main form.card button[type=submit]")


def page_lines(page) -> list[str]:
    """The report body's paragraphs (its figures are written in sentences), as shown."""
    return [
        " ".join(p.inner_text().split())
        for p in page.locator("[data-testid=report-body] p").all()
        if p.inner_text().strip()
    ]


def collapsed(text: str) -> str:
    return " ".join(text.split())


def page_tables(page) -> list[list[str]]:
    """The rows of the tables inside the report's body, as the page shows them."""
    rows = []
    for row in page.locator("[data-testid=report-body] table tbody tr").all():
        rows.append([" ".join(c.inner_text().split()) for c in row.locator("td").all()])
    return rows


def docx_of(page, live_server, href) -> tuple[str, list[list[str]]]:
    content = page.request.get(f"{live_server.url}{href}").body()
    document = Docx(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [
        [" ".join(cell.text.split()) for cell in row.cells]
        for table in document.tables
        for row in table.rows
    ]
    return text, rows


def pdf_text(page, live_server, href) -> str:
    content = page.request.get(f"{live_server.url}{href}").body()
    assert content[:4] == b"%PDF"
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def numbers(cells) -> list[str]:
    """The figures of a row (counts, ratios, percentages), in order."""
    return re.findall(r"\d+(?:[.,/]\d+)*%?", " ".join(cells))


def in_pdf(row: list[str], text: str) -> bool:
    """The row's figures appear, in order, on the PDF line that starts the row (a long label
    may wrap in the PDF, its figures stay on one line)."""
    wanted = numbers(row[1:])
    for line in text.splitlines():
        found = numbers([line])
        if wanted and found[-len(wanted) :] == wanted:
            return True
    return not wanted


def test_the_annual_report_from_draft_to_the_province_s_summary(page, live_server, december):
    world = december
    # --- the secretary generates the report and writes its narrative ------------------------
    sign_in_as(page, live_server, "an")
    goto(page, f"{live_server.url}/reports/annual/new/")
    submit_main_form(page)
    report = AnnualReport.objects.get(agency=world.A, year=2026)
    assert page.url.endswith(f"/reports/annual/{report.pk}/")
    assert "2026" in page.locator("[data-testid=report-title]").inner_text()
    click(page, "[data-testid=annual-edit]")
    page.locator("textarea[name=assessment]").fill(
        "Hệ thống quản lý chất lượng được duy trì và cải tiến thường xuyên."
    )
    page.locator("textarea[name=difficulties]").fill("Công chức thay đổi vị trí công tác nhiều.")
    page.locator("textarea[name=recommendations]").fill("Đề nghị Sở KH&CN tổ chức tập huấn.")
    page.locator("input[name=signer_name]").fill("Đặng Văn Hải")
    page.locator("input[name=signer_title]").fill("GIÁM ĐỐC")
    submit_main_form(page)
    body = page.locator("[data-testid=report-body]").inner_text()
    assert "Công chức thay đổi vị trí công tác nhiều." in body
    screenshot(page, "annual-report-draft")

    # --- the head approves ---------------------------------------------------------------------
    sign_in_as(page, live_server, "hai")
    goto(page, f"{live_server.url}/reports/annual/{report.pk}/")
    click(page, "[data-testid=annual-approve]")
    report.refresh_from_db()
    assert report.status == "approved"

    # --- the secretary submits it with the signed scan -----------------------------------------
    sign_in_as(page, live_server, "an")
    goto(page, f"{live_server.url}/reports/annual/{report.pk}/")
    click(page, "[data-testid=annual-submit]")
    page.locator("input[name=number]").fill("125")
    page.locator("input[name=signed_file]").set_input_files(
        {"name": "bao-cao-ky.png", "mimeType": "image/png", "buffer": png_scan()}
    )
    submit_main_form(page)
    report.refresh_from_db()
    assert report.status == "submitted" and not report.late
    assert "125/" in page.locator("[data-testid=report-number]").inner_text()

    # the files say what the page says: every sentence of figures, every table row
    lines = page_lines(page)
    with_figures = [line for line in lines if numbers([line])]
    assert len(with_figures) >= 8, lines  # scope, audits, reviews, obligations… with numbers
    text, docx_rows = docx_of(page, live_server, f"/reports/annual/{report.pk}/report.docx")
    docx_lines = {collapsed(line) for line in text.splitlines()}
    pdf = collapsed(pdf_text(page, live_server, f"/reports/annual/{report.pk}/report.pdf"))
    for line in lines:
        assert line in docx_lines, line
        assert line in pdf, line
    rows = page_tables(page)
    for row in rows:
        assert row in docx_rows, row
        assert in_pdf(row, pdf), row

    # --- the overseer receives it ----------------------------------------------------------------
    sign_in_as(page, live_server, "dung")
    goto(page, f"{live_server.url}/reports/?year=2026")
    click(page, f"[data-testid=annual-A-2026-{report.version}] a")
    click(page, "[data-testid=annual-receive]")
    report.refresh_from_db()
    assert report.status == "received"
    assert page.locator("[data-testid=received-on]").inner_text().startswith("10/12/2026")
    screenshot(page, "annual-report-received")

    # --- the province's summary counts it ----------------------------------------------------------
    goto(page, f"{live_server.url}/reports/province/new/")
    # the agency is typed (AgencyField): its suggestions come from the agencies API
    page.locator("[data-agency-input]").fill(world.P.code)
    page.locator(f"[data-agency-id='{world.P.pk}']").click()
    expect(page.locator("input[name=agency]")).to_have_value(str(world.P.pk))
    submit_main_form(page)
    summary = ProvincialReport.objects.get(agency=world.P, year=2026)
    assert page.url.endswith(f"/reports/province/{summary.pk}/")
    not_reported = page.locator("[data-testid=not-reported]").inner_text()
    assert "Sở Y tế" in not_reported and "Sở Tư pháp tỉnh Phú An" not in not_reported
    count = int(page.locator("[data-testid=not-reported-count]").inner_text())
    summary_rows = page_tables(page)
    total = [r for r in summary_rows if r and r[0] in ("Tổng cộng", "Total")]
    assert total, summary_rows
    assert "1/" in " ".join(total[0])  # A's report counted among those bound to report
    screenshot(page, "provincial-summary")

    workbook = load_workbook(
        io.BytesIO(
            page.request.get(f"{live_server.url}/reports/province/{summary.pk}/report.xlsx").body()
        )
    )
    sheet_rows = [
        [" ".join(str(c).split()) if c is not None else "" for c in row]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    xlsx_total = [r for r in sheet_rows if r and r[0] in ("Tổng cộng", "Total")]
    assert xlsx_total and numbers(xlsx_total[0][1:]) == numbers(total[0][1:])
    missing = {r[1] for r in workbook["Chua bao cao"].iter_rows(values_only=True, min_row=2)}
    assert "A" not in missing and "B" in missing and len(missing - {None, "Mã"}) == count
    _, summary_docx_rows = docx_of(page, live_server, f"/reports/province/{summary.pk}/report.docx")
    for row in summary_rows:
        assert row in summary_docx_rows, row
    summary_pdf = pdf_text(page, live_server, f"/reports/province/{summary.pk}/report.pdf")
    for row in summary_rows:
        assert in_pdf(row, summary_pdf), row
