"""Training and competence in a browser (issue 10, ISO 7.2): the ISO secretary adds an
internal-auditor course, records a session — a session ending before it starts is refused
with the reason and the form keeps what was typed — records who attended and who passed,
gives the certificate to those who passed, and finds it in the certificate list and on the
person's competence page, dates dd/mm/yyyy. The holder then moves to another agency: its
secretary sees the certificate (it follows the person)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import go, login, screenshot, sign_in_as, submit
from eiso.accounts.models import Membership
from eiso.accounts.tests.factories import PASSWORD
from eiso.core.roles import Role
from eiso.records.tests.conftest import at
from eiso.training.models import Attendance, Certificate, TrainingSession

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COURSE = "Đánh giá viên nội bộ ISO 9001:2015"
TRAINER = "Trung tâm Tiêu chuẩn Đo lường Chất lượng tỉnh"
PLACE = "Hội trường Sở Tư pháp"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mid_june():
    with time_machine.travel(at(2026, 6, 15), tick=True):
        yield


def save(page) -> None:
    """The page's form sent (its last submit button)."""
    submit(page, page.locator("main form button[type=submit]").last)


def test_course_session_attendance_certificates_and_competence(
    page, live_server, e2e_world, mid_june
):
    world = e2e_world
    login(page, live_server, "an", PASSWORD)

    # --- a course that gives the internal-auditor certificate -----------------------------------
    go(page, live_server, "training:list")
    with page.expect_navigation():
        page.locator("[data-testid=course-add]").click()
    page.locator("input[name=title]").fill(COURSE)
    page.locator("select[name=kind]").select_option("internal_auditor")
    page.locator("select[name=certificate_kind]").select_option("internal_auditor")
    page.locator("input[name=hours]").fill("24")
    save(page)
    expect(page.locator("h1")).to_contain_text(COURSE)

    # --- a session ending before it starts: refused, what was typed kept ------------------------
    with page.expect_navigation():
        page.locator("[data-testid=session-add]").click()
    page.locator("input[name=starts_on]").fill("10/06/2026")
    page.locator("input[name=ends_on]").fill("08/06/2026")
    page.locator("input[name=trainer]").fill(TRAINER)
    page.locator("input[name=place]").fill(PLACE)
    save(page)
    expect(page.locator("main")).to_contain_text("Ngày kết thúc không được trước ngày bắt đầu.")
    expect(page.locator("input[name=trainer]")).to_have_value(TRAINER)
    expect(page.locator("input[name=place]")).to_have_value(PLACE)
    expect(page.locator("input[name=starts_on]")).to_have_value("10/06/2026")
    assert TrainingSession.objects.count() == 0
    screenshot(page, "training-session-refused")

    # --- fixed: the session is recorded --------------------------------------------------------
    page.locator("input[name=ends_on]").fill("12/06/2026")
    save(page)
    expect(page.locator("h1")).to_contain_text(f"{COURSE} — 10/06/2026")
    session = TrainingSession.objects.get()
    assert (session.starts_on, session.ends_on) == (
        datetime.date(2026, 6, 10),
        datetime.date(2026, 6, 12),
    )

    # --- attendance: Bình attended and passed, Hải attended and did not pass --------------------
    page.locator(f"input[name=attended_{world.binh.pk}]").check()
    page.locator(f"input[name=passed_{world.binh.pk}]").check()
    page.locator(f"input[name=attended_{world.hai.pk}]").check()
    with page.expect_navigation():
        page.locator("[data-testid=attendance-save]").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu")
    assert set(Attendance.objects.filter(passed=True).values_list("person", flat=True)) == {
        world.binh.pk
    }

    # --- the certificate given to those who passed, valid three years --------------------------
    with page.expect_navigation():
        page.locator("[data-testid=give-certificates]").click()
    page.locator("input[name=issuer]").fill(TRAINER)
    page.locator("input[name=issued_on]").fill("12/06/2026")
    page.locator("input[name=years]").fill("3")
    save(page)
    given = page.locator("[data-testid=session-certificates] li")
    expect(given).to_have_count(1)
    expect(given.first).to_contain_text("Lê Văn Bình")
    expect(given.first).to_contain_text("12/06/2029")
    screenshot(page, "training-session-certificates")

    # --- the certificate list, filtered to the valid ones; the person's competence --------------
    go(page, live_server, "training:certificates", query="?state=valid&kind=internal_auditor")
    rows = page.locator("[data-testid=certificate-list] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lê Văn Bình")
    expect(rows.first).to_contain_text("12/06/2026")
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    expect(page.locator("[data-testid=person-certificates]")).to_contain_text("12/06/2029")
    expect(page.locator("[data-testid=person-training]")).to_contain_text(COURSE)
    expect(page.locator("[data-testid=person-training]")).to_contain_text("10/06/2026")
    screenshot(page, "training-competence")

    # --- Bình moves to the Sở Y tế: its secretary sees the certificate --------------------------
    Membership.objects.filter(user=world.binh, agency=world.A).update(is_active=False)
    Membership.objects.create(user=world.binh, agency=world.B, role=Role.STAFF)
    sign_in_as(page, live_server, "chi")
    go(page, live_server, "training:certificates")
    rows = page.locator("[data-testid=certificate-list] tbody tr[data-holder=binh]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sở Tư pháp")
    assert Certificate.objects.get().agency == world.A
