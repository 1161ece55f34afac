"""The foundation as a person meets it in a browser: sign in, switch the role in the header,
import agencies and users from a spreadsheet (bad rows reported, nothing saved until all are
good), the 404 on pages outside one's role, and the layout on a phone.

Assertions rest on what does not change with the translation: ``data-testid`` hooks, URLs,
the data itself (codes, names) and counts — not on the wording of labels."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from e2e.conftest import login, screenshot, sign_in_as
from eiso.accounts.tests.factories import PASSWORD, MembershipFactory
from eiso.core.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AGENCY_HEADER = ["code", "name", "short_name", "kind", "parent_code"]
NEW_AGENCIES = [
    ["E2E-XD", "Sở Xây dựng tỉnh Phú An", "Sở Xây dựng", "so_nganh", "P"],
    ["E2E-GT", "Sở Giao thông vận tải tỉnh Phú An", "Sở GTVT", "so_nganh", "P"],
    ["E2E-TC", "Sở Tài chính tỉnh Phú An", "Sở Tài chính", "so_nganh", "P"],
]
NEW_CODES = [row[0] for row in NEW_AGENCIES]


def xlsx_file(path, header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def csv_upload(name, header, rows):
    text = "\n".join(",".join(cells) for cells in [header, *rows]) + "\n"
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def upload(page, files):
    """Send a file through the import form and wait for the preview."""
    page.locator("input[type=file][name=file]").set_input_files(files)
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#preview")).to_be_visible()


def switch_to(page, membership):
    page.locator("[data-testid=membership-switch]").click()
    item = page.locator(
        f"form:has(input[name=membership][value='{membership.pk}']) button[type=submit]"
    )
    expect(item).to_be_visible()
    item.click()
    page.wait_for_load_state()


def test_login_switch_agency_and_import_agencies(page, live_server, e2e_world, tmp_path):
    from eiso.organizations.models import Agency

    w = e2e_world
    overseer = w.dung.memberships.get(role=Role.OVERSEER)
    secretary = MembershipFactory(user=w.dung, agency=w.A, role=Role.ISO_SECRETARY)

    login(page, live_server, "dung", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    header = page.locator("[data-testid=membership-switch]")
    expect(header).to_contain_text(w.P.name)  # the first membership (by agency path)
    screenshot(page, "01-home-overseer")

    # Act as the ISO secretary of A, then back as the province's overseer.
    switch_to(page, secretary)
    expect(header).to_contain_text(str(w.A))
    expect(header).not_to_contain_text(w.P.name)
    screenshot(page, "02-home-secretary-of-A")
    switch_to(page, overseer)
    expect(header).to_contain_text(w.P.name)

    # The registry of agencies is the administrators' (issue 8, item 8): the overseer only
    # reads it. As the administrator: one bad row (unknown parent) → every row reported,
    # nothing saved.
    assert page.goto(f"{live_server.url}/agencies/import/").status == 404
    sign_in_as(page, live_server, "quan")
    page.goto(f"{live_server.url}/agencies/import/")
    bad = [*NEW_AGENCIES[:1], [*NEW_AGENCIES[1][:4], "KHONG-CO"], *NEW_AGENCIES[2:]]
    upload(page, str(xlsx_file(tmp_path / "co-quan-loi.xlsx", AGENCY_HEADER, bad)))
    expect(page.locator("[data-testid=import-errors]")).to_be_visible()
    expect(page.locator("[data-testid=import-ok]")).to_have_count(0)
    row_errors = page.locator("[data-testid=row-errors]")
    expect(row_errors).to_have_count(3)
    expect(row_errors.nth(1)).to_contain_text("KHONG-CO")
    expect(row_errors.nth(0)).to_have_text("")
    expect(row_errors.nth(2)).to_have_text("")
    expect(page.locator("input[name=batch]")).to_have_count(0)  # no confirm offered
    screenshot(page, "03-agency-import-preview-with-error")
    assert not Agency.objects.filter(code__in=NEW_CODES).exists()

    # The corrected file → preview OK → confirm → the list shows the new agencies.
    upload(page, str(xlsx_file(tmp_path / "co-quan.xlsx", AGENCY_HEADER, NEW_AGENCIES)))
    expect(page.locator("[data-testid=import-ok]")).to_be_visible()
    expect(page.locator("[data-testid=import-errors]")).to_have_count(0)
    screenshot(page, "04-agency-import-preview-ok")
    assert not Agency.objects.filter(code__in=NEW_CODES).exists()  # not before the confirm
    page.locator("form:has(input[name=batch]) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/agencies/")
    for code in NEW_CODES:
        expect(page.locator("td code", has_text=code)).to_be_visible()
    screenshot(page, "05-agency-list-after-import")

    created = Agency.objects.filter(code__in=NEW_CODES)
    assert sorted(created.values_list("code", flat=True)) == sorted(NEW_CODES)
    assert all(a.parent_id == w.P.pk and a.path.startswith(w.P.path) for a in created)


def test_login_failure_shows_an_error_and_keeps_the_username(page, live_server, e2e_world):
    login(page, live_server, "an", "sai-mat-khau")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator("input[name=username]")).to_have_value("an")
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(page.locator("[data-testid=membership-switch]")).to_have_count(0)
    screenshot(page, "06-login-failed")


def test_staff_cannot_reach_agency_management(page, live_server, e2e_world):
    login(page, live_server, "binh", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    for path in ("/agencies/", "/agencies/import/", "/agencies/new/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path


PHONE = {"width": 390, "height": 844}


def test_pages_render_on_a_phone(page, live_server, e2e_world):
    page.set_viewport_size(PHONE)
    login(page, live_server, "dung", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    screenshot(page, "07-home-on-a-phone")
    overflow = {}
    for path in ("/", "/agencies/", "/agencies/import/"):
        page.goto(f"{live_server.url}{path}")
        overflow[path] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert all(extra <= 1 for extra in overflow.values()), overflow


def test_the_phone_menu_opens_the_sidebar(page, live_server, e2e_world):
    page.set_viewport_size(PHONE)
    login(page, live_server, "dung", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    menu = page.locator("header button[data-bs-target='#sidebar']")
    expect(menu).to_be_visible()
    sidebar = page.locator("#sidebar")
    expect(sidebar).not_to_be_in_viewport()
    menu.click()
    expect(page.locator("#sidebar.show:not(.showing)")).to_be_visible()  # slid in
    expect(sidebar).to_be_in_viewport(ratio=0.99)
    expect(sidebar.locator("a.nav-link[href='/agencies/']")).to_be_visible()
    screenshot(page, "08-menu-on-a-phone")
    sidebar.locator("a.nav-link[href='/agencies/']").click()
    page.wait_for_url(f"{live_server.url}/agencies/")


def test_user_import_reports_bad_rows(page, live_server, e2e_world):
    from eiso.accounts.models import User

    header = ["username", "full_name", "email", "agency_code", "role"]
    rows = [
        ["e2e.hoa", "Nguyễn Thị Hoa", "hoa@example.gov.vn", "A", "staff"],
        ["e2e.khanh", "Trần Văn Khánh", "khanh@example.gov.vn", "KHONG-CO", "staff"],
    ]
    login(page, live_server, "quan", PASSWORD)
    page.goto(f"{live_server.url}/accounts/users/import/")
    upload(page, csv_upload("nguoi-dung.csv", header, rows))
    expect(page.locator("[data-testid=import-errors]")).to_be_visible()
    row_errors = page.locator("[data-testid=row-errors]")
    expect(row_errors).to_have_count(2)
    expect(row_errors.nth(0)).to_have_text("")
    expect(row_errors.nth(1)).to_contain_text("KHONG-CO")
    expect(page.locator("input[name=batch]")).to_have_count(0)
    screenshot(page, "09-user-import-preview-with-error")
    assert not User.objects.filter(username__in=["e2e.hoa", "e2e.khanh"]).exists()


def test_the_new_users_department_list_follows_the_chosen_agency(page, live_server, e2e_world):
    from eiso.accounts.models import Membership
    from eiso.organizations.tests.factories import DepartmentFactory

    w = e2e_world
    DepartmentFactory(agency=w.A, name="Phòng Hành chính")
    tu_phap = DepartmentFactory(agency=w.A, name="Phòng Bổ trợ tư pháp")
    DepartmentFactory(agency=w.B, name="Phòng Kế hoạch")
    login(page, live_server, "quan", PASSWORD)
    page.goto(f"{live_server.url}/accounts/users/new/")
    form = page.locator("form:has(select[name=department])")
    options = form.locator("select[name=department] option:not([value=''])")
    expect(options).to_have_count(0)  # the province itself has no departments
    for code, names in [
        (w.B.code, ["Phòng Kế hoạch"]),
        (w.A.code, ["Phòng Bổ trợ tư pháp", "Phòng Hành chính"]),
    ]:
        form.locator("[data-agency-input]").fill(code)
        form.locator("[data-agency-list] [data-agency-id]").first.click()
        expect(options).to_have_text(names)
    form.locator("input[name=username]").fill("e2e.hoa")
    form.locator("input[name=full_name]").fill("Nguyễn Thị Hoa")
    form.locator("input[name=email]").fill("hoa@example.gov.vn")
    form.locator("select[name=role]").select_option("staff")
    form.locator("select[name=department]").select_option(str(tu_phap.pk))
    screenshot(page, "10-new-user-departments-of-the-chosen-agency")
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert Membership.objects.get(user__username="e2e.hoa").department == tu_phap
