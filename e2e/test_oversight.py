"""The overseer's pages in a browser (issue 7, A12): the registry fits a 1366-px laptop without
scrolling sideways and becomes cards on a phone with its filters folded away; the summary and
the home page read on both; the role switch in the header is never cut off and its menu names
every agency in full, the role on its own line. Screenshots of each page at 1366×768 and
390×844 go to test-results/ for a person to look at.

The province is built directly (long, real-looking names: the widths are the point); the
assertions rest on ``data-testid`` hooks and measured geometry, not on wording."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from e2e.conftest import login, new_context, screenshot
from eiso.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.organizations.tests.factories import AgencyFactory, kind
from eiso.oversight import services
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
from eiso.qms.choices import AnnouncementKind, QmsStatus, ReminderKind
from eiso.qms.models import Announcement, QualitySystem

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

AGENCIES = [
    ("STTTT", "Sở Thông tin và Truyền thông tỉnh Phú An", "so_nganh"),
    ("SKHCN", "Sở Khoa học và Công nghệ tỉnh Phú An", "so_nganh"),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công và Xúc tiến đầu tư tỉnh Phú An", "chi_cuc"),
    ("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng thuộc Sở Khoa học và Công nghệ", "chi_cuc"),
    (
        "BQLKKT",
        "Ban Quản lý các Khu kinh tế, Khu công nghiệp và Khu chế xuất tỉnh Phú An",
        "so_nganh",
    ),
    ("XA-AN-PHU", "Ủy ban nhân dân xã An Phú", "ubnd_xa"),
    ("XA-TAN-THANH-DONG", "Ủy ban nhân dân xã Tân Thạnh Đông", "ubnd_xa"),
    ("PHUONG-THANH-MY", "Ủy ban nhân dân phường Thạnh Mỹ Lợi", "ubnd_xa"),
]


@pytest.fixture
def province(e2e_world):
    """P with long-named agencies: announcements first and again, received or not, QMS in
    every state, handled procedures (coverage), a reminder sent; the overseer ``dung`` also
    holds a role in a long-named agency (the header's switch)."""
    world = e2e_world
    procedures = [
        AdministrativeProcedure.objects.create(
            code=f"1.00{n}.000.00.00.H{n:02d}", name=f"Thủ tục {n}", level="provincial"
        )
        for n in range(3)
    ]
    statuses = [QmsStatus.ANNOUNCED, QmsStatus.APPLIED, QmsStatus.BUILDING, None]
    for i, (code, name, kind_code) in enumerate(AGENCIES):
        agency = AgencyFactory(
            code=code, name=name, kind=kind(kind_code), parent=world.P, must_apply=i % 4 != 3
        )
        if statuses[i % 4]:
            QualitySystem.objects.create(
                agency=agency,
                status=statuses[i % 4],
                reannouncement_reason="Sáp nhập đơn vị hành chính cấp xã" if i == 5 else "",
            )
        if statuses[i % 4] == QmsStatus.ANNOUNCED:
            Announcement.objects.create(
                agency=agency,
                kind=AnnouncementKind.RE if i % 2 else AnnouncementKind.FIRST,
                number=f"{120 + i}/QĐ-{code[:8]}",
                date=datetime.date(2025, 3, 10 + i),
                received_on=datetime.date(2025, 3, 20 + i) if i % 3 else None,
                signer_name="Nguyễn Văn Ký",
                signer_title="GIÁM ĐỐC",
                standard_version="2015",
                status="received" if i % 3 else "sent",
            )
        for procedure in procedures[: 1 + i % 3]:
            HandledProcedure.objects.create(agency=agency, procedure=procedure)
        if i % 2 == 0:  # the others have nobody to receive a reminder
            secretary = UserFactory(username=f"thuky-{code.lower()}")
            MembershipFactory(user=secretary, agency=agency, role=Role.ISO_SECRETARY)
    MembershipFactory(
        user=world.dung,
        agency=AgencyFactory(
            code="BQL-LONG",
            name="Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh",
            short_name="Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp",
            parent=world.P,
        ),
        role=Role.STAFF,
    )
    services.reminders_send(actor=world.dung, root=world.P, kind=ReminderKind.NOT_ANNOUNCED)
    return world


def page_at(browser, size):
    context = new_context(browser, viewport=size)
    return context, context.new_page()


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def fits(page, selector: str) -> bool:
    """The element is not wider than its scroll container (no horizontal scrollbar inside)."""
    return page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const box = table.parentElement;
            const inside = table.scrollWidth <= box.clientWidth + 1;
            return inside && box.scrollWidth <= box.clientWidth + 1;
        }""",
        selector,
    )


def test_the_registry_fits_a_1366_px_laptop_without_scrolling_sideways(
    browser, live_server, province
):
    context, page = page_at(browser, LAPTOP)
    try:
        login(page, live_server, "dung", PASSWORD)
        page.goto(f"{live_server.url}{reverse('oversight:registry')}?root={province.P.pk}")
        table = page.get_by_test_id("registry-table")
        table.wait_for()
        assert page.locator("[data-testid^=registry-]").count() >= len(AGENCIES)
        assert fits(page, "[data-testid=registry-table]")
        assert no_sideways_scroll(page)
        # the header row is one line tall at most twice: headers were shortened
        assert page.locator("[data-testid=registry-table] thead").bounding_box()["height"] < 80
        # the filters show on a laptop
        assert page.get_by_test_id("list-filters").is_visible()
        screenshot(page, "oversight-registry-1366")
        page.goto(f"{live_server.url}{reverse('oversight:summary')}?root={province.P.pk}")
        page.get_by_test_id("summary-table").wait_for()
        assert fits(page, "[data-testid=summary-table]")
        assert fits(page, "[data-testid=summary-annex]")
        assert no_sideways_scroll(page)
        screenshot(page, "oversight-summary-1366")
        page.goto(f"{live_server.url}{reverse('dashboard:home')}")
        assert no_sideways_scroll(page)
        screenshot(page, "oversight-home-1366")
        # the coverage roll-up: its totals kept, says when computed, computes again on demand
        page.goto(f"{live_server.url}{reverse('procedures:coverage')}?ordering=-percent")
        page.get_by_test_id("coverage-table").wait_for()
        assert page.get_by_test_id("computed-at").is_visible()
        assert no_sideways_scroll(page)
        screenshot(page, "procedures-coverage-1366")
        page.get_by_test_id("compute-again").click()
        page.get_by_test_id("coverage-table").wait_for()
        assert "fresh" not in page.url and "ordering=-percent" in page.url
    finally:
        context.close()


def test_on_a_phone_the_registry_is_cards_with_the_filters_folded(browser, live_server, province):
    context, page = page_at(browser, PHONE)
    try:
        login(page, live_server, "dung", PASSWORD)
        page.goto(f"{live_server.url}{reverse('oversight:registry')}?root={province.P.pk}")
        page.get_by_test_id("registry-table").wait_for()
        assert not page.get_by_test_id("list-filters").is_visible()  # folded away
        assert not page.locator("[data-testid=registry-table] thead").is_visible()
        row = page.get_by_test_id("registry-XA-AN-PHU")
        assert row.evaluate("(tr) => getComputedStyle(tr).display") == "block"  # a card
        assert "XA-AN-PHU" in row.inner_text()
        assert no_sideways_scroll(page)
        screenshot(page, "oversight-registry-390")
        page.locator("button[aria-controls=list-filters]").click()
        page.get_by_test_id("list-filters").wait_for(state="visible")
        page.goto(f"{live_server.url}{reverse('oversight:summary')}?root={province.P.pk}")
        page.get_by_test_id("summary-table").wait_for()
        assert no_sideways_scroll(page)
        screenshot(page, "oversight-summary-390")
        page.goto(f"{live_server.url}{reverse('dashboard:home')}")
        assert no_sideways_scroll(page)
        screenshot(page, "oversight-home-390")
    finally:
        context.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_role_switch_is_not_cut_off(browser, live_server, province, size):
    context, page = page_at(browser, size)
    try:
        login(page, live_server, "dung", PASSWORD)
        screenshot(page, f"oversight-header-{size['width']}")
        switch = page.get_by_test_id("membership-switch")
        role = page.get_by_test_id("membership-role")
        assert role.is_visible() and role.inner_text().strip()
        # the role's own line is shown whole (not clipped by the button)
        assert role.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
        assert switch.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
        # nothing in the header overlaps the switch
        box = switch.bounding_box()
        for neighbour in ("inbox-link", "notifications"):
            other = page.get_by_test_id(neighbour).bounding_box()
            assert box["x"] + box["width"] <= other["x"] or other["x"] + other["width"] <= box["x"]
        assert no_sideways_scroll(page)
        switch.click()
        long_name = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh"
        item = page.locator(".header-menu .dropdown-item", has_text="Ban Quản lý dự án")
        item.wait_for()
        assert long_name in item.inner_text()  # in full, wrapped
        assert item.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
        menu = page.locator(".header-menu").bounding_box()
        assert menu["x"] >= 0 and menu["x"] + menu["width"] <= size["width"] + 1
        screenshot(page, f"oversight-role-switch-{size['width']}")
    finally:
        context.close()


def test_the_favicon_is_served(browser, live_server, province):
    context, page = page_at(browser, LAPTOP)
    try:
        login(page, live_server, "dung", PASSWORD)
        href = page.locator("link[rel=icon]").get_attribute("href")
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status == 200 and "svg" in response.headers["content-type"]
    finally:
        context.close()
