"""Internal audit in a browser (issue 11, "Must show"): the secretary plans an audit; putting an
auditor on their own department is refused; the auditor fills the checklist on a phone-sized
window and records a minor nonconformity; the department's owner plans an action; closing
before the effectiveness check is refused; a different person verifies; the record closes; the
audit report PDF lists it.

The personas and two departments are set up through the services; everything else is done
through the pages. Assertions rest on ``data-testid`` hooks, form field names and the data."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import go, login, new_context, screenshot, settled, sign_in_as, submit
from eiso.accounts.models import Membership
from eiso.accounts.tests.factories import PASSWORD
from eiso.audits.models import ChecklistItem, Finding, InternalAudit
from eiso.audits.tests.factories import load_bank
from eiso.improvements.models import Nonconformity
from eiso.improvements.tests.factories import auditor, department
from eiso.objectives.tests.conftest import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def audit_week():
    """Monday 16/11/2026, the clock ticking in the live server's thread too."""
    with time_machine.travel(at(2026, 11, 16, 8), tick=True):
        yield


def test_plan_audit_on_a_phone_and_close_the_nonconformity(
    browser, page, live_server, e2e_world, audit_week, tmp_path
):
    world = e2e_world
    load_bank()
    own = department(world.A, "Phòng Bổ trợ tư pháp")
    audited = department(world.A, "Phòng Hành chính tư pháp")
    oanh = auditor(world, world.A, username="oanh", department_name=own.name)
    Membership.objects.filter(user=world.binh, agency=world.A).update(department=audited)

    # --- the secretary plans the audit --------------------------------------------------------
    sign_in_as(page, live_server, "an")
    go(page, live_server, "audits:list")
    submit(page, page.locator("[data-testid=plan-audit]"))
    page.locator("input[name=start_date]").fill("16/11/2026")
    page.locator("input[name=end_date]").fill("18/11/2026")
    page.locator("textarea[name=scope]").fill(
        "Phòng Hành chính tư pháp; các TTHC chứng thực, hộ tịch"
    )
    submit(page, page.locator("main form button[type=submit]").first)
    audit = InternalAudit.objects.get()
    expect(page.locator("[data-testid=audit-title]")).to_contain_text("năm 2026 (đợt 1)")
    form = page.locator("[data-testid=team-form]")
    form.locator("select[name=user]").select_option(str(oanh.pk))
    form.locator("select[name=role]").select_option("lead")
    submit(page, form.locator("[data-testid=team-add]"))
    expect(page.locator("[data-testid=team]")).to_contain_text(oanh.full_name)

    # --- the auditor on her own department: refused, with the reason -----------------------
    submit(page, page.locator("[data-testid=add-session]"))
    page.locator("select[name=department]").select_option(str(own.pk))
    page.locator("input[name=date]").fill("16/11/2026")
    page.locator("input[name=start_time]").fill("08:00")
    page.locator("input[name=end_time]").fill("10:30")
    page.locator("select[name=auditor]").select_option(str(oanh.pk))
    page.locator("select[name=clauses]").select_option(label="7.5 Thông tin dạng văn bản")
    submit(page, page.locator("main form button[type=submit]").first)
    error = page.locator(".invalid-feedback", has_text=own.name)
    expect(error).to_be_visible()
    screenshot(page, "audit-own-department-refused")
    assert not audit.sessions.exists()
    page.locator("select[name=department]").select_option(str(audited.pk))
    page.locator("select[name=clauses]").select_option(
        label=["7.5 Thông tin dạng văn bản", "8.5 Sản xuất và cung cấp dịch vụ"]
    )
    submit(page, page.locator("main form button[type=submit]").first)
    expect(page.locator("[data-testid=schedule]")).to_contain_text(audited.name)

    # --- the checklist from the bank; the head approves the plan -------------------------------
    submit(page, page.locator("[data-testid=open-checklist]"))
    submit(page, page.locator("[data-testid=copy-questions]"))
    page.locator("select[name=session]").select_option(str(audit.sessions.get().pk))
    page.locator("select[name=clauses]").select_option(
        label=["7.5 Thông tin dạng văn bản", "8.5 Sản xuất và cung cấp dịch vụ"]
    )
    submit(page, page.locator("main form button[type=submit]").first)
    questions = ChecklistItem.objects.filter(audit=audit).count()
    assert questions >= 4
    sign_in_as(page, live_server, "hai")
    go(page, live_server, "audits:detail", audit.pk)
    form = page.locator("[data-testid=approve-form]")
    form.locator("input[name=number]").fill("5")
    submit(page, form.locator("[data-testid=approve]"))
    expect(page.locator("[data-testid=plan-number]")).to_contain_text("05/KH-A")

    # --- the auditor fills the checklist on a phone -------------------------------------------
    phone = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    login(mobile, live_server, "oanh", PASSWORD)
    settled(mobile)
    go(mobile, live_server, "audits:mine")
    submit(mobile, mobile.locator("[data-testid=my-checklists] a").first)
    items = list(ChecklistItem.objects.filter(audit=audit).order_by("number"))
    first = items[0]
    card = mobile.locator(f"#item-{first.pk}")
    card.locator(f"label[for=a-{first.pk}-nonconform]").click()
    card.locator("textarea[name=note]").fill(
        "Sổ theo dõi hồ sơ tháng 10 không ghi ngày trả kết quả"
    )
    submit(mobile, card.locator("[data-testid=answer-save]"))
    screenshot(mobile, "audit-checklist-phone")
    submit(mobile, mobile.locator(f"#item-{first.pk} [data-testid=record-finding]"))
    mobile.locator("select[name=grade]").select_option("minor")
    mobile.locator("textarea[name=evidence]").fill("Sổ theo dõi tháng 10/2026, 3 hồ sơ")
    mobile.locator("select[name=owner]").select_option(str(world.binh.pk))
    submit(mobile, mobile.locator("main form button[type=submit]").first)
    finding = Finding.objects.get()
    nc = finding.nonconformity
    assert (finding.grade, nc.owner, nc.department) == ("minor", world.binh, audited)
    for item in items[1:]:
        card = mobile.locator(f"#item-{item.pk}")
        card.locator(f"label[for=a-{item.pk}-conform]").click()
        submit(mobile, card.locator("[data-testid=answer-save]"))
    expect(mobile.locator("[data-testid=progress]")).to_have_text(f"{questions}/{questions}")
    go(mobile, live_server, "audits:detail", audit.pk)
    form = mobile.locator("[data-testid=report-form]")
    form.locator("input[name=report_number]").fill("12")
    form.locator("input[name=report_date]").fill("16/11/2026")
    form.locator("textarea[name=conclusion]").fill("HTQLCL phù hợp; một điểm không phù hợp nhẹ")
    submit(mobile, form.locator("[data-testid=issue-report]"))
    expect(mobile.locator("[data-testid=audit-status]")).to_be_visible()
    assert InternalAudit.objects.get().report_number == "12/BC-A"
    phone.close()

    # --- the department's owner answers the nonconformity --------------------------------------
    sign_in_as(page, live_server, "binh")
    go(page, live_server, "improvements:detail", nc.pk)
    submit(page, page.locator("[data-testid=write-cause]"))
    page.locator("textarea[name=correction]").fill("Bổ sung ngay ngày trả kết quả vào sổ")
    page.locator("input[name=why_1]").fill("Công chức mới không biết phải ghi ngày trả")
    page.locator("input[name=why_2]").fill("Chưa được hướng dẫn về quy trình ISO")
    page.locator("textarea[name=root_cause]").fill("Công chức mới chưa được hướng dẫn HTQLCL")
    submit(page, page.locator("main form button[type=submit]").first)
    form = page.locator("[data-testid=action-form]")
    form.locator("textarea[name=action]").fill("Hướng dẫn HTQLCL cho công chức mới")
    form.locator("select[name=owner]").select_option(str(world.binh.pk))
    form.locator("input[name=due_date]").fill("30/11/2026")
    submit(page, form.locator("[data-testid=action-add]"))
    submit(page, page.locator("[data-testid=submit-plan]"))
    sign_in_as(page, live_server, "hai")
    go(page, live_server, "improvements:detail", nc.pk)
    submit(page, page.locator("[data-testid=approve-plan]"))
    sign_in_as(page, live_server, "binh")
    go(page, live_server, "improvements:detail", nc.pk)
    submit(page, page.locator("[data-testid=action-done]"))
    page.locator("textarea[name=result]").fill("Đã hướng dẫn ngày 17/11/2026")
    submit(page, page.locator("main form button[type=submit]").first)

    # --- closing before the effectiveness check is refused ---------------------------------------
    submit(page, page.locator("[data-testid=close-nc]"))
    expect(page.locator(".alert-danger")).to_be_visible()
    screenshot(page, "nonconformity-close-refused")
    assert Nonconformity.objects.get().status == "awaiting_verification"

    # --- a different person verifies; the record closes --------------------------------------------
    sign_in_as(page, live_server, "an")
    go(page, live_server, "improvements:detail", nc.pk)
    form = page.locator("[data-testid=verify-form]")
    form.locator("select[name=effective]").select_option("yes")
    form.locator("textarea[name=note]").fill("Kiểm tra sổ theo dõi tháng 11: ghi đầy đủ")
    submit(page, form.locator("[data-testid=verify]"))
    submit(page, page.locator("[data-testid=close-nc]"))
    expect(page.locator("[data-testid=nc-status]")).to_be_visible()
    closed = Nonconformity.objects.get()
    assert closed.status == "closed" and closed.closed_on == datetime.date(2026, 11, 16)
    screenshot(page, "nonconformity-closed")

    # --- the audit report PDF lists it -----------------------------------------------------------
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    go(page, live_server, "audits:detail", audit.pk)
    with page.expect_download() as download:
        page.locator("[data-testid=report-pdf]").click()
    path = tmp_path / "bao-cao.pdf"
    download.value.save_as(path)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "BÁO CÁO" in text and "Số: 12/BC-A" in text
    # the finding's words, wrapped over the lines of its table cell (pdftotext may put the
    # next cell's words, such as the nonconformity's code, between two of its lines)
    assert "Sổ theo dõi hồ sơ tháng 10" in text and "không ghi ngày trả kết quả" in text, text
    assert "Không phù hợp nhẹ" in text and nc.code in text and "7.5" in text
