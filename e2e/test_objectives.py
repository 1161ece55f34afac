"""Quality objectives in a browser (issue 9, "Must show"): the secretary copies last year's
objectives, edits one, submits them; the head approves and issues them by decision; measurements
are entered for a quarter (one objective missed); the evaluation report is written and
finalized, and its PDF says the objective and "Không đạt" for the missed one.

Last year's objectives are set up through the services; everything else is done through the
pages. Assertions rest on ``data-testid`` hooks, form field names and the data itself."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import go, screenshot, sign_in_as, submit
from eiso.objectives import services
from eiso.objectives.models import ObjectiveSet
from eiso.objectives.tests.conftest import at
from eiso.objectives.tests.factories import action_data, issue, issued_set, objective_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MISSED = "Giải quyết hồ sơ đăng ký hộ tịch đúng hạn"
MET = "Trả lời phản ánh, kiến nghị đúng thời hạn"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mid_july():
    """The clock starts on 15/07/2026 (Q2 has ended) and keeps ticking, in the live server's
    thread too."""
    with time_machine.travel(at(2026, 7, 15), tick=True):
        yield


def record(page, period: int, value: str) -> None:
    form = page.locator("[data-testid=measure-form]")
    form.locator("select[name=period]").select_option(str(period))
    form.locator("input[name=value]").fill(value)
    submit(page, form.locator("[data-testid=measure-submit]"))


def test_copy_last_year_edit_approve_issue_measure_and_report(
    page, live_server, e2e_world, mid_july
):
    world = e2e_world
    last_year = issued_set(world, world.A, 2025, objectives=1, statement=MISSED)
    # a second objective last year (issued together with the first one)
    draft = services.objective_set_amend(
        actor=world.an, objective_set=last_year, change_summary="Bổ sung mục tiêu"
    )
    second = services.objective_create(
        actor=world.an,
        objective_set=draft,
        data=objective_data(statement=MET, target="100", comparator="eq"),
    )
    services.plan_action_create(actor=world.an, objective=second, data=action_data(2025))
    issue(world, draft, date=datetime.date(2025, 3, 1))

    # --- the secretary copies last year and raises one target ---------------------------------
    sign_in_as(page, live_server, "an")
    go(page, live_server, "objectives:set_create", query="?year=2026")
    expect(page.locator("[data-testid=last-year]")).to_contain_text(MISSED)
    page.locator("input[name=start][value=last_year]").check()
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=set-objectives]")).to_contain_text(MISSED)
    expect(page.locator("[data-testid=set-objectives]")).to_contain_text(MET)
    submit(page, page.locator("[data-testid=set-objectives] a", has_text=MISSED))
    submit(page, page.locator("[data-testid=edit-objective]"))
    page.locator("input[name=target]").fill("99")
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=objective-target]")).to_contain_text("99")
    objective_url = page.url
    submit(page, page.locator(".breadcrumb a", has_text="2026"))
    submit(page, page.locator("[data-testid=submit]"))
    expect(page.locator("[data-testid=set-status]").first).to_have_text(re.compile(r".+"))
    new_set = ObjectiveSet.objects.get(year=2026)
    assert new_set.status == "submitted"

    # --- the head approves and issues -----------------------------------------------------------
    sign_in_as(page, live_server, "hai")
    go(page, live_server, "objectives:set_detail", new_set.pk)
    submit(page, page.locator("[data-testid=approve]"))
    page.locator("[data-testid=issue]").click()
    # Bootstrap marks the collapse "show" once it has finished opening.
    expect(page.locator("#issue-form")).to_have_class(re.compile(r"\bshow\b"))
    form = page.locator("[data-testid=issue-form]")
    form.locator("input[name=number]").fill("12")
    form.locator("input[name=date]").fill("15/07/2026")
    submit(page, form.locator("[data-testid=issue-confirm]"))
    expect(page.locator("[data-testid=decision-number]")).to_have_text("12/QĐ-A")
    screenshot(page, "objectives-issued")

    # --- the secretary enters the second quarter ---------------------------------------------
    sign_in_as(page, live_server, "an")
    page.goto(objective_url)
    record(page, 2, "97,5")  # target ≥ 99 %: missed
    row = page.locator("[data-testid=periods] tr[data-period='2']")
    expect(row).to_contain_text("97,5")
    expect(page.locator("[data-result=not_met]").first).to_be_visible()
    screenshot(page, "objective-measured")
    go(page, live_server, "objectives:set_detail", new_set.pk)
    submit(page, page.locator("[data-testid=set-objectives] a", has_text=MET))
    record(page, 2, "100")

    # --- the evaluation report ------------------------------------------------------------------
    go(page, live_server, "objectives:evaluation", query="?year=2026")
    missed_row = page.locator("[data-testid=report-row][data-result=not_met]")
    expect(missed_row).to_contain_text(MISSED)
    missed_row.locator("textarea[name^=causes_]").fill(
        "Công chức hộ tịch nghỉ ốm dài ngày, chưa bố trí người thay"
    )
    missed_row.locator("textarea[name^=assessment_]").fill("Quý II không đạt chỉ tiêu")
    submit(page, page.locator("[data-testid=save-report]"))
    submit(page, page.locator("[data-testid=finalize]"))
    expect(page.locator("[data-testid=report-status]")).to_be_visible()
    screenshot(page, "objectives-evaluation")

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    pdf_url = page.locator("[data-testid=report-pdf]").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert MISSED in flat and MET in flat
    assert "Không đạt" in flat and "nghỉ ốm dài ngày" in flat
