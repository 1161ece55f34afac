"""Management review in a browser (issue 11, "Must show"): on the demo province, the ISO
secretary plans this year's review; its input pack shows this year's objectives, the internal
audit's results and the nonconformities still open, each section with its source; the meeting is
held, a decision becomes an action in its owner's inbox; the minutes DOCX opens.

The demo province is built as ``seed_demo --quick`` builds it, on a fixed day (07/12/2026;
``demo_province`` in e2e/conftest.py, shared with the CSP crawl);
everything else is done through the pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import go, screenshot, sign_in_as, submit
from eiso.audits.models import InternalAudit
from eiso.improvements.choices import NOT_CLOSED
from eiso.improvements.models import Nonconformity
from eiso.objectives.models import QualityObjective
from eiso.reviews.models import ManagementReview

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAY = "07/12/2026"


def test_the_pack_from_the_demo_an_output_in_the_inbox_and_the_minutes(
    page, live_server, demo_province
):
    password = demo_province.DEMO_PASSWORD
    objective = (
        QualityObjective.objects.filter(agency__code="STP", objective_set__year=2026)
        .order_by("-objective_set__revision", "number")
        .first()
    )
    audit = InternalAudit.objects.get(agency__code="STP", year=2026)
    assert audit.report_number, "the demo's audit of the year is reported"
    still_open = (
        Nonconformity.objects.filter(agency__code="STP", status__in=NOT_CLOSED)
        .order_by("raised_on")
        .first()
    )
    assert objective is not None and still_open is not None

    # --- the secretary plans the review: the pack is assembled from the demo's data ------------
    sign_in_as(page, live_server, "thuky.stp", password)
    go(page, live_server, "reviews:list")
    submit(page, page.locator("[data-testid=plan-review]"))
    page.locator("input[name=meeting_date]").fill(DAY)
    page.locator("select[name=chair]").select_option(label="Phạm Văn Hùng")
    page.locator("textarea[name=attendees]").fill("Ban chỉ đạo ISO\nTrưởng các phòng\nThư ký ISO")
    submit(page, page.locator("main form button[type=submit]").first)
    review = ManagementReview.objects.filter(agency__code="STP").order_by("-pk").first()
    pack = page.locator("[data-testid=pack]")
    expect(pack.locator("[data-section=objectives]")).to_contain_text(objective.statement)
    expect(pack.locator("[data-section=audits]")).to_contain_text(audit.report_number)
    expect(pack.locator("[data-section=nonconformities]")).to_contain_text(still_open.title)
    expect(pack.locator("[data-section=providers] [data-testid=no-data]")).to_be_visible()
    expect(pack.locator("[data-testid=source]")).to_have_count(12)
    screenshot(page, "management-review-pack")

    # --- held; a decision for a civil servant ------------------------------------------------------
    submit(page, page.locator("[data-testid=hold]"))
    form = page.locator("[data-testid=output-form]")
    form.locator("select[name=kind]").select_option("resource")
    form.locator("textarea[name=description]").fill("Trang bị máy quét cho Bộ phận Một cửa")
    form.locator("select[name=owner]").select_option(label="Võ Thị Kim Oanh")
    form.locator("input[name=due_date]").fill("20/12/2026")
    submit(page, form.locator("[data-testid=output-add]"))
    minutes = page.locator("[data-testid=minutes-form]")
    minutes.locator("textarea[name=conclusions]").fill(
        "HTQLCL phù hợp, có hiệu lực; giao các phòng thực hiện các quyết định của cuộc họp."
    )
    minutes.locator("input[name=minutes_number]").fill("9")
    minutes.locator("input[name=minutes_date]").fill(DAY)
    submit(page, minutes.locator("[data-testid=issue-minutes]"))
    expect(page.locator("[data-testid=minutes-number]")).to_contain_text("09/BB-STP")

    # --- the minutes DOCX opens ----------------------------------------------------------------------
    with page.expect_download() as download:
        page.locator("[data-testid=minutes-docx]").click()
    from docx import Document

    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "BIÊN BẢN" in text and "Số: 09/BB-STP" in text
    assert "Trang bị máy quét cho Bộ phận Một cửa" in text and objective.statement in text

    # --- the decision waits in its owner's inbox ----------------------------------------------------
    sign_in_as(page, live_server, "dgnb.stp", password)
    go(page, live_server, "inbox:list")
    expect(page.locator("main")).to_contain_text("Trang bị máy quét cho Bộ phận Một cửa")
    screenshot(page, "management-review-decision-in-inbox")
    assert review.outputs.get().owner.username == "dgnb.stp"
