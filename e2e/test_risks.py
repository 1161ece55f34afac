"""The register of risks and opportunities in a browser (issue 9, "Must show"): the secretary
adds a risk, plans a treatment, its owner records it as done, the secretary re-rates the risk,
and the heat map after treatment moves the risk to its new cell while the one before keeps it.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_as, submit
from eiso.objectives.tests.conftest import at
from eiso.risks.models import Risk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Thất lạc hồ sơ giấy khi chuyển giữa Bộ phận Một cửa và phòng chuyên môn"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mid_july():
    with time_machine.travel(at(2026, 7, 15), tick=True):
        yield


def cell(page, which: str, likelihood: int, impact: int):
    return page.locator(f"[data-testid=heatmap-{which}] [data-cell='{likelihood}x{impact}']")


def test_add_treat_rerate_and_the_heat_map_changes(page, live_server, e2e_world, mid_july):
    sign_in_as(page, live_server, "an")
    page.goto(f"{live_server.url}{reverse('risks:list')}")
    submit(page, page.locator("[data-testid=add-risk]"))
    page.locator("select[name=process_kind]").select_option("internal")
    page.locator("input[name=process]").fill("Luân chuyển hồ sơ")
    page.locator("textarea[name=description]").fill(DESCRIPTION)
    page.locator("textarea[name=cause]").fill("Không có sổ giao nhận hồ sơ")
    page.locator("select[name=likelihood]").select_option("4")
    page.locator("select[name=impact]").select_option("4")
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=rating]")).to_contain_text("16")
    risk = Risk.objects.get()

    page.goto(f"{live_server.url}{reverse('risks:list')}")
    expect(cell(page, "before", 4, 4)).to_have_attribute("data-count", "1")
    expect(cell(page, "after", 4, 4)).to_have_attribute("data-count", "1")
    screenshot(page, "risks-before")

    page.goto(f"{live_server.url}{reverse('risks:detail', args=[risk.pk])}")
    form = page.locator("[data-testid=treatment-form]")
    form.locator("textarea[name=action]").fill("Lập sổ giao nhận hồ sơ, ký nhận từng bước")
    form.locator("select[name=owner]").select_option(str(e2e_world.binh.pk))
    form.locator("input[name=due_date]").fill("30/09/2026")
    submit(page, form.locator("[data-testid=treatment-add]"))
    expect(page.locator("[data-testid=treatments]")).to_contain_text("Lập sổ giao nhận")

    # the owner records it as done
    sign_in_as(page, live_server, "binh")
    page.goto(f"{live_server.url}{reverse('risks:detail', args=[risk.pk])}")
    submit(page, page.locator("[data-testid=treatment-done]"))
    page.locator("textarea[name=result]").fill("Đã lập sổ, áp dụng từ 15/07/2026")
    submit(page, page.locator("main form button[type=submit]").first)

    # the secretary re-rates the risk
    sign_in_as(page, live_server, "an")
    page.goto(f"{live_server.url}{reverse('risks:detail', args=[risk.pk])}")
    form = page.locator("[data-testid=rerate-form]")
    form.locator("select[name=likelihood]").select_option("2")
    form.locator("select[name=impact]").select_option("2")
    submit(page, form.locator("[data-testid=rerate]"))
    expect(page.locator("[data-testid=residual]")).to_contain_text("4")

    page.goto(f"{live_server.url}{reverse('risks:list')}")
    expect(cell(page, "before", 4, 4)).to_have_attribute("data-count", "1")
    expect(cell(page, "after", 4, 4)).to_have_attribute("data-count", "0")
    expect(cell(page, "after", 2, 2)).to_have_attribute("data-count", "1")
    screenshot(page, "risks-after")
