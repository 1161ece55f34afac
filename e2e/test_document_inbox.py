"""Issue 7, "Must show": the work inbox carries a revision through its workflow, and a revision
issued to take effect later replaces the old one on its date with nobody acting.

A secretary submits revision 02 of an issued procedure → the head sees it in the inbox (the
page and the count in the header) → returns it → the secretary finds it returned in hers →
fixes it and resubmits → the head approves it and issues it with a decision, the revision to
take effect ten days later → until that day revision 01 stays in force (document page, list,
master list) → the clock moves to the day: revision 02 is in force and 01 is not.

The live server runs in the test's process, so ``time_machine`` moves its clock too. Everything
goes through the pages; assertions rest on ``data-*`` hooks, URLs and the data."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_as, submit, url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "QT-TTHC-01"
TITLE = "Quy trình cấp Phiếu lý lịch tư pháp"
RETURN_COMMENT = "Ghi rõ thời hạn trả kết quả là 10 ngày làm việc."


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def inbox_item(page, kind: str, revision_url: str):
    return page.locator(f"[data-testid=inbox] li[data-kind='{kind}']:has(a[href='{revision_url}'])")


def pending_status(page):
    return page.locator("[data-testid=pending-revision] .card-header [data-status]")


@pytest.fixture
def procedure(e2e_world):
    """QT-TTHC-01: revision 01 issued a month ago; revision 02 drafted by the secretary with
    its new file, not yet submitted."""
    from eiso.documents import services
    from eiso.documents.tests.factories import approve, docx_upload, make_draft

    w = e2e_world
    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    document, first = make_draft(w, w.A, CODE, title=TITLE)
    approve(w, first)
    decision = services.decision_create(
        actor=w.an,
        agency=w.A,
        subject="Ban hành quy trình",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=[first],
    )
    services.decision_sign(actor=w.hai, decision=decision, number="3", date=month_ago)
    second = services.revision_start(
        actor=w.an, document=document, change_summary="Rút ngắn thời hạn giải quyết."
    )
    services.revision_attach_file(actor=w.an, revision=second, upload=docx_upload("lan-02.docx"))
    return document, first, second


def test_a_revision_goes_through_the_inbox_and_takes_effect_on_its_date(
    page, live_server, e2e_world, procedure
):
    from eiso.documents import outputs
    from eiso.documents.models import Document, IssuingDecision, Revision

    document, first, second = procedure
    detail = reverse("documents:detail", args=[document.pk])
    today = timezone.localdate()
    effective = today + datetime.timedelta(days=10)

    # ---- the secretary submits revision 02 ----
    sign_in_as(page, live_server, "an")
    page.goto(f"{live_server.url}{detail}")
    submit(
        page,
        page.locator(
            f"form[action='{reverse('documents:revision_submit', args=[second.pk])}'] button"
        ),
    )
    expect(pending_status(page)).to_have_attribute("data-status", "in_review")

    # ---- the head sees it waiting: the count in the header, the inbox page ----
    sign_in_as(page, live_server, "hai")
    expect(page.locator("header [data-testid=inbox-count]")).to_be_visible()
    submit(page, page.locator("header [data-testid=inbox-link]"))
    expect(page).to_have_url(url(live_server, "inbox:list"))
    waiting = inbox_item(page, "documents.review", detail)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("02")
    screenshot(page, "inbox-01-head-sees-the-submitted-revision")

    # ---- he opens it from the inbox and returns it with a comment ----
    submit(page, waiting.locator(f"a[href='{detail}']"))
    review = page.locator("[data-testid=review-box]")
    review.locator("textarea[name=comment]").fill(RETURN_COMMENT)
    returning = reverse("documents:revision_return", args=[second.pk])
    submit(
        page, review.locator(f"form[action='{returning}'] button[type=submit]:not([formaction])")
    )
    expect(pending_status(page)).to_have_attribute("data-status", "returned")
    page.goto(url(live_server, "inbox:list"))
    expect(inbox_item(page, "documents.review", detail)).to_have_count(0)

    # ---- the secretary finds it returned in her inbox, with the comment ----
    sign_in_as(page, live_server, "an")
    expect(page.locator("header [data-testid=inbox-count]")).to_be_visible()
    page.goto(url(live_server, "inbox:list"))
    returned = inbox_item(page, "documents.returned", detail)
    expect(returned).to_have_count(1)
    expect(returned).to_contain_text(RETURN_COMMENT)
    screenshot(page, "inbox-02-secretary-sees-it-returned")

    # ---- she fixes it: the change and an effective date ten days ahead; resubmits ----
    submit(page, returned.locator(f"a[href='{detail}']"))
    edit = reverse("documents:revision_edit", args=[second.pk])
    submit(page, page.locator(f"[data-testid=pending-revision] a[href='{edit}']"))
    form = page.locator("form:has(textarea[name=change_summary])")
    form.locator("textarea[name=content]").fill("Thời hạn trả kết quả: 10 ngày làm việc.")
    form.locator("input[name=effective_date]").fill(effective.strftime("%d/%m/%Y"))
    submit(page, form.locator("button[type=submit]"))
    expect(page.locator("[data-testid=pending-effective]")).to_have_text(
        effective.strftime("%d/%m/%Y")
    )
    submit(
        page,
        page.locator(
            f"form[action='{reverse('documents:revision_submit', args=[second.pk])}'] button"
        ),
    )
    expect(pending_status(page)).to_have_attribute("data-status", "in_review")
    page.goto(url(live_server, "inbox:list"))
    expect(inbox_item(page, "documents.returned", detail)).to_have_count(0)

    # ---- the head approves it and issues it with a decision signed today ----
    sign_in_as(page, live_server, "hai")
    page.goto(url(live_server, "inbox:list"))
    submit(page, inbox_item(page, "documents.review", detail).locator(f"a[href='{detail}']"))
    approving = reverse("documents:revision_approve", args=[second.pk])
    submit(page, page.locator(f"[data-testid=review-box] button[formaction='{approving}']"))
    expect(pending_status(page)).to_have_attribute("data-status", "approved")
    prepare = f"{reverse('documents:decision_create')}?revision={second.pk}"
    submit(page, page.locator(f"a[href='{prepare}']"))
    form = page.locator("form:has(input[name=signer_name])")
    form.locator("input[name=signer_name]").fill("Đặng Văn Hải")
    form.locator("input[name=signer_title]").fill("GIÁM ĐỐC")
    submit(page, form.locator("button[type=submit]"))
    decision = IssuingDecision.objects.get(revisions=second)
    sign = page.locator("form:has([data-testid=sign])")
    sign.locator("input[name=number]").fill("45")
    sign.locator("input[name=date]").fill(today.strftime("%d/%m/%Y"))
    submit(page, sign.locator("[data-testid=sign]"))
    expect(page.locator(".alert-success")).to_be_visible()
    decision.refresh_from_db()
    assert (decision.status, decision.number) == ("signed", "45/QĐ-A")
    # the page's "Về việc …" is what the DOCX/PDF print (the form's default subject)
    expect(page.locator("[data-testid=decision-title]")).to_have_text(
        outputs.decision_title(decision)
    )
    assert outputs.decision_title(decision) == outputs.DECISION_TITLE
    second.refresh_from_db()
    assert (second.status, second.effective_date) == ("issued", effective)

    def check_in_force(number: int, *, upcoming: bool, label: str) -> None:
        page.goto(f"{live_server.url}{detail}")
        current = page.locator("[data-testid=current-revision]")
        expect(current.locator(".card-header")).to_contain_text(f"{number:02d}")
        expect(current.locator("[data-validity]")).to_have_attribute("data-validity", "in_force")
        expect(page.locator("[data-testid=upcoming-revision]")).to_have_count(int(upcoming))
        if upcoming:
            note = page.locator("[data-testid=upcoming-revision]")
            expect(note.locator("[data-validity]")).to_have_attribute("data-validity", "pending")
            expect(note).to_contain_text(effective.strftime("%d/%m/%Y"))
        else:
            earlier = page.locator("[data-testid=earlier-revision][data-revision='1']")
            expect(earlier.locator("[data-validity]")).to_have_attribute("data-validity", "expired")
        screenshot(page, f"inbox-{label}-document")
        page.goto(url(live_server, "documents:list"))
        row = page.locator(f"[data-testid=document-row][data-code='{CODE}']")
        expect(row.locator("[data-testid=in-force]")).to_contain_text(f"{number:02d}")
        page.goto(url(live_server, "documents:master_list"))
        master = page.locator(f"[data-testid=master-row][data-code='{CODE}']")
        expect(master.locator("[data-testid=revision-number]")).to_have_text(f"{number:02d}")
        expect(master.locator("[data-testid=upcoming]")).to_have_count(int(upcoming))
        assert Document.objects.get(pk=document.pk).in_force.number == number

    # ---- until its date, revision 01 stays in force; 02 is announced ----
    check_in_force(1, upcoming=True, label="03-signed-today")
    eve = effective - datetime.timedelta(days=1)
    with time_machine.travel(f"{eve.isoformat()} 23:00 +0700", tick=True):
        sign_in_as(page, live_server, "binh")  # staff, on the eve
        check_in_force(1, upcoming=True, label="04-the-eve")

    # ---- on the day, nobody acting: 02 is in force, 01 no longer ----
    with time_machine.travel(f"{effective.isoformat()} 07:00 +0700", tick=True):
        sign_in_as(page, live_server, "hai")
        check_in_force(2, upcoming=False, label="05-the-day")
    assert Revision.objects.get(pk=first.pk).status == "issued"  # nothing was written
