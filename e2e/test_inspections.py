"""Inspections by the Sở KH&CN in a browser (issue 14): the overseer drafts the year's plan,
imports its agency list — one bad row shown, the file fixed and imported —, records the People's
Committee's decision approving it, forms the team (a member from an inspected agency refused,
one from the Sở Tư pháp taken) and its decision; that member signs in, reads the inspected
agency's documents and not another's, fills the checklist on a phone-sized window and records
a finding; the inspected agency sees the nonconformity it raised; the summary counts it.

The clock stands on 15/06/2026, inside the plan's period (01/06 – 30/09), ticking in the live
server's thread too. Assertions rest on ``data-testid`` hooks and on the database."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import go, login, new_context, screenshot, settled, sign_in_as, submit
from eiso.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.documents.tests.factories import make_issued
from eiso.improvements.models import Nonconformity
from eiso.inspections.models import ChecklistAnswer, Finding, Inspection, InspectionPlan
from eiso.objectives.tests.conftest import at
from eiso.organizations.tests.factories import AgencyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def mid_june():
    with time_machine.travel(at(2026, 6, 15, 8), tick=True):
        yield


def csv_file(tmp_path, *rows: str):
    path = tmp_path / "danh-sach-kiem-tra.csv"
    path.write_text("\n".join(["Mã cơ quan,Hình thức,Ngày,Địa điểm", *rows]), encoding="utf-8")
    return str(path)


def test_plan_team_checklist_on_a_phone_finding_and_summary(
    browser, page, live_server, e2e_world, mid_june, tmp_path
):
    world = e2e_world
    science = AgencyFactory(
        code="SKHCN", name="Sở Khoa học và Công nghệ tỉnh Phú An", parent=world.P
    )
    bao = UserFactory(username="bao", full_name="Trần Quốc Bảo", position="Thanh tra viên")
    MembershipFactory(user=bao, agency=science, role=Role.INSPECTOR)
    inspected_doc, _revision = make_issued(
        world, world.B, "QT-SYT-01", title="Quy trình cấp giấy phép hành nghề dược"
    )
    other_doc, _revision = make_issued(
        world, world.C, "QT-SNV-01", title="Quy trình thẩm định thành lập tổ chức"
    )

    # --- the overseer drafts the plan and imports its agencies ------------------------------
    sign_in_as(page, live_server, "dung")
    go(page, live_server, "inspections:plan_list")
    submit(page, page.locator("[data-testid=plan-create]"))
    page.locator("input[name=period_start]").fill("01/06/2026")
    page.locator("input[name=period_end]").fill("30/09/2026")
    submit(page, page.locator("main form button[type=submit]").first)
    plan = InspectionPlan.objects.get()
    expect(page.locator("[data-testid=plan-title]")).to_contain_text("2026")
    submit(page, page.locator("[data-testid=agency-import]"))
    page.locator("input[type=file]").set_input_files(
        csv_file(tmp_path, "B,tại chỗ,18/06/2026,Trụ sở Sở Y tế", "SYT-X,qua hồ sơ,,")
    )
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=import-errors]")).to_be_visible()
    expect(page.locator("main")).to_contain_text("SYT-X")
    screenshot(page, "inspection-import-bad-row")
    assert not Inspection.objects.exists()
    page.locator("input[type=file]").set_input_files(
        csv_file(tmp_path, "B,tại chỗ,18/06/2026,Trụ sở Sở Y tế")
    )
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=import-ok]")).to_be_visible()
    submit(page, page.locator("main form button[type=submit]", has_text="Xác nhận"))
    expect(page.locator("[data-testid=plan-agencies]")).to_contain_text("Sở Y tế")
    inspection = Inspection.objects.get()
    assert (inspection.agency, inspection.mode) == (world.B, "on_site")

    # --- the two decisions ---------------------------------------------------------------------
    submit(page, page.locator("[data-testid=approve]"))
    page.locator("input[name=decision_number]").fill("125")
    page.locator("input[name=decision_date]").fill("10/06/2026")
    page.locator("input[name=decision_signer]").fill("Nguyễn Văn Tỉnh")
    page.locator("input[name=decision_signer_title]").fill("Phó Chủ tịch UBND tỉnh")
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=approving-decision]")).to_contain_text("125/QĐ-UBND")
    form = page.locator("[data-testid=team-form]")
    form.locator("select[name=role]").select_option("member")
    form.locator("select[name=user]").select_option(str(world.chi.pk))
    submit(page, form.locator("[data-testid=team-add]"))
    expect(page.locator(".invalid-feedback", has_text="đơn vị được kiểm tra")).to_be_visible()
    assert not plan.team.exists()
    # the refusal keeps its own form page: the leader is chosen there
    page.locator("main select[name=role]").select_option("leader")
    page.locator("main select[name=user]").select_option(str(bao.pk))
    submit(page, page.locator("main form button[type=submit]").first)
    form = page.locator("[data-testid=team-form]")
    form.locator("select[name=role]").select_option("member")
    form.locator("select[name=user]").select_option(str(world.binh.pk))
    submit(page, form.locator("[data-testid=team-add]"))
    expect(page.locator("[data-testid=team]")).to_contain_text(world.binh.full_name)
    expect(page.locator("[data-testid=team]")).to_contain_text("Sở Tư pháp")
    form = page.locator("[data-testid=team-decision-form]")
    form.locator("input[name=team_decision_number]").fill("130")
    form.locator("input[name=team_decision_date]").fill("12/06/2026")
    form.locator("input[name=team_decision_signer]").fill("Nguyễn Văn Tỉnh")
    submit(page, form.locator("[data-testid=team-decision-save]"))
    expect(page.locator("[data-testid=team-decision]")).to_contain_text("130/QĐ-UBND")
    screenshot(page, "inspection-plan-approved-team-formed")

    # --- the member from the Sở Tư pháp reads the inspected agency's documents only -----------
    sign_in_as(page, live_server, "binh")
    go(page, live_server, "documents:list")
    listed = page.locator("main")
    expect(listed).to_contain_text(inspected_doc.title)
    expect(listed).not_to_contain_text(other_doc.title)
    go(page, live_server, "documents:detail", inspected_doc.pk)
    expect(page.locator("main")).to_contain_text(inspected_doc.title)
    response = page.goto(f"{live_server.url}{reverse('documents:detail', args=[other_doc.pk])}")
    assert response.status == 404

    # --- the checklist on a phone-sized window, a finding -----------------------------------
    phone = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    login(mobile, live_server, "binh", PASSWORD)
    settled(mobile)
    go(mobile, live_server, "inspections:mine")
    submit(mobile, mobile.locator("[data-testid=my-inspections] [data-testid=open-checklist]"))
    submit(mobile, mobile.locator("[data-testid=start]"))
    answers = list(ChecklistAnswer.objects.filter(inspection=inspection).order_by("order", "pk"))
    assert len(answers) >= 5
    first = answers[0]
    card = mobile.locator(f"#item-{first.pk}")
    card.locator(f"label[for=r-{first.pk}-fail]").click()
    card.locator("textarea[name=note]").fill("Quy trình cấp phép chưa cập nhật theo TTHC mới")
    submit(mobile, card.locator("[data-testid=answer-save]"))
    assert mobile.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    screenshot(mobile, "inspection-checklist-phone")
    submit(mobile, mobile.locator(f"#item-{first.pk} [data-testid=record-finding]"))
    mobile.locator("textarea[name=description]").fill(
        "Quy trình cấp giấy phép hành nghề dược chưa cập nhật theo thủ tục hành chính mới"
    )
    mobile.locator("input[name=due_date]").fill("31/07/2026")
    submit(mobile, mobile.locator("main form button[type=submit]").first)
    finding = Finding.objects.get()
    assert finding.answer == first and finding.nonconformity is not None
    go(mobile, live_server, "inspections:checklist", inspection.pk)
    for answer in answers[1:]:
        answer.refresh_from_db()
        card = mobile.locator(f"#item-{answer.pk}")
        value = answer.platform_result or "pass"
        card.locator(f"label[for=r-{answer.pk}-{value}]").click()
        card.locator("textarea[name=note]").fill("Đã đối chiếu hồ sơ tại cơ quan")
        submit(mobile, card.locator("[data-testid=answer-save]"))
    expect(mobile.locator("[data-testid=progress]")).to_have_text(f"{len(answers)}/{len(answers)}")
    phone.close()

    # --- the inspected agency sees the nonconformity ---------------------------------------
    sign_in_as(page, live_server, "chi")
    go(page, live_server, "improvements:list")
    nonconformity = Nonconformity.objects.get()
    assert nonconformity.agency == world.B and nonconformity.source == "inspection"
    expect(page.locator("main")).to_contain_text(nonconformity.title[:40])
    go(page, live_server, "inspections:detail", inspection.pk)
    expect(page.locator("[data-testid=findings]")).to_contain_text(finding.code)

    # --- the summary counts it -------------------------------------------------------------
    sign_in_as(page, live_server, "dung")
    go(page, live_server, "inspections:summary", plan.pk)
    expect(page.locator("[data-testid=total-findings]")).to_have_text("1")
    expect(page.locator("[data-testid=summary-total]")).to_contain_text("1")
    screenshot(page, "inspection-summary")
