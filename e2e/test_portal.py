"""The public portal in a browser (issue 12, "Must show"): an anonymous visitor finds an agency
without typing accents, opens its announcement's signed decision (PDF), opens a published
procedure and downloads a form; then opens the agency's QR target — the address the QR poster
holds — and rates the service; the agency's ISO secretary sees the rating in the summary. The
browser reports no Content-Security-Policy violation on the way, and no session cookie is set
for the visitor."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from e2e.conftest import login, new_context, screenshot
from eiso.accounts.tests.factories import PASSWORD
from eiso.feedback.models import Rating

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def test_a_visitor_finds_reads_downloads_and_rates_and_the_secretary_sees_it(
    browser, live_server, e2e_world
):
    from eiso.portal.tests.factories import published_world

    published_world(e2e_world)
    context = new_context(browser, viewport={"width": 390, "height": 844})
    context.add_init_script(RECORDER)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )

    # find the agency without typing accents (on a phone)
    page.goto(f"{live_server.url}/public/")
    page.get_by_label("Tên hoặc mã cơ quan").fill("so tu phap")
    with page.expect_navigation():
        page.locator("[data-testid=agency-search] button[type=submit]").click()
    link = page.locator("[data-testid=agency-link]", has_text="Sở Tư pháp tỉnh Phú An")
    expect(link).to_have_count(1)
    expect(page.locator("[data-testid=agency-list]")).not_to_contain_text("Sở Y tế")
    screenshot(page, "portal-search-phone")
    with page.expect_navigation():
        link.click()
    expect(page.locator("[data-testid=agency-name]")).to_have_text("Sở Tư pháp tỉnh Phú An")
    expect(page.locator("[data-testid=current-announcement]")).to_contain_text("25/QĐ-A")

    # the announcement's signed decision
    with page.expect_download() as pdf:
        page.locator("[data-testid=announcement-pdf]").click()
    path = pdf.value.path()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(path).read_bytes()[:5] == b"%PDF-"

    # a published procedure, its step table in force, a form downloaded
    with page.expect_navigation():
        page.locator("[data-testid=procedure-link]", has_text="Đăng ký khai sinh").click()
    expect(page.locator("[data-testid=procedure-name]")).to_have_text("Đăng ký khai sinh")
    expect(page.locator("[data-testid=step-table]")).to_contain_text("Thẩm định, trình ký")
    expect(page.locator("main")).not_to_contain_text("Dự thảo lần 3")
    expect(page.locator("[data-testid=form-list]")).not_to_contain_text("BM-02")
    screenshot(page, "portal-procedure-phone")
    with page.expect_download() as form:
        page.locator("[data-testid=form-download]").first.click()
    assert form.value.suggested_filename.endswith(".docx")
    assert Path(form.value.path()).read_bytes()[:2] == b"PK"
    assert not [c for c in context.cookies() if c["name"] == "sessionid"]

    # the QR poster's address: the rating form, by keyboard and touch
    page.goto(f"{live_server.url}/public/danh-gia/A/?qr=1")
    expect(page.locator("[data-testid=rating-agency]")).to_contain_text("Sở Tư pháp")
    for criterion, level in (("attitude", 5), ("timeliness", 4), ("guidance", 5), ("result", 4)):
        page.locator(f"label[for=id_{criterion}_{level - 1}]").click()
    page.get_by_label("Thủ tục bạn đến làm (không bắt buộc)").select_option(
        label="Đăng ký khai sinh"
    )
    page.locator("textarea[name=comment]").fill("Cán bộ hướng dẫn tận tình, nhận kết quả đúng hẹn")
    screenshot(page, "portal-rating-phone")
    page.wait_for_timeout(2200)  # a person takes a moment; the form refuses robots' speed
    with page.expect_navigation():
        page.locator("[data-testid=rating-submit]").click()
    expect(page.locator("[data-testid=rating-thanks]")).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.attitude, rating.timeliness, rating.source) == (5, 4, "qr")
    assert not [c for c in context.cookies() if c["name"] == "sessionid"]
    assert violations(page) == [] and problems == []
    context.close()

    # the agency's ISO secretary sees it in the summary
    staff = new_context(browser, viewport={"width": 1280, "height": 800})
    secretary = staff.new_page()
    login(secretary, live_server, "an", PASSWORD)
    secretary.goto(f"{live_server.url}/feedback/")
    expect(secretary.locator("[data-testid=rating-count]")).to_have_text("1")
    expect(secretary.locator("[data-testid=satisfaction-index]")).to_contain_text("100")
    expect(secretary.locator("[data-testid=comments]")).to_contain_text("Cán bộ hướng dẫn tận tình")
    screenshot(secretary, "feedback-summary")
    staff.close()
