"""Document control as people meet it in a browser (issue 3, "Must show"): a secretary drafts
a procedure with its DOCX and submits it; the head returns it; the secretary fixes it and
resubmits; the head approves it and issues it under a decision; the previous revision shows as
no longer in force from the new one's effective date; a staff member sees only the new one and
confirms reading it. Also: the head who
drafted a revision is not offered its approval (and a forged approval is refused), and a file
whose content is not what its name says is refused with nothing attached.

Everything goes through the pages; only the personas are set up directly, and the outcome is
also checked in the database. Assertions rest on ``data-testid`` hooks, ``data-status``
values, form field names, URLs and the data itself — not on the wording of labels."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_as, sign_out, submit, url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "QT-TTHC-01"
TITLE = "Quy trình cấp Phiếu lý lịch tư pháp"
KIND = "tthc_procedure"
RETURN_COMMENT = "Bổ sung căn cứ Nghị định 30/2020/NĐ-CP và thời hạn giải quyết 10 ngày."
FIXED_SUMMARY = "Cập nhật thời hạn giải quyết; bổ sung căn cứ Nghị định 30/2020/NĐ-CP."
FIXED_CONTENT = "1. Mục đích\n2. Phạm vi\n3. Căn cứ: Nghị định 30/2020/NĐ-CP\n4. Thời hạn: 10 ngày"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder (the live server reads the same settings)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def docx_file(path, *paragraphs: str):
    """A real Word document (python-docx), as a secretary would upload."""
    document = DocxDocument()
    document.add_heading(TITLE, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in DocxDocument(io.BytesIO(data)).paragraphs)


# --- small page helpers ------------------------------------------------------------------


def open_document(page, live_server, document) -> None:
    page.goto(url(live_server, "documents:detail", document.pk))
    expect(page.locator("h1 code")).to_have_text(document.code)


def pending_status(page):
    return page.locator("[data-testid=pending-revision] .card-header [data-status]")


def fill_date(page, form, name: str, value: str) -> None:
    form.locator(f"input[name={name}]").fill(value)


def submit_for_review(page, revision) -> None:
    action = reverse("documents:revision_submit", args=[revision.pk])
    submit(page, page.locator(f"form[action='{action}'] button[type=submit]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(pending_status(page)).to_have_attribute("data-status", "in_review")


def approve(page, revision) -> None:
    action = reverse("documents:revision_approve", args=[revision.pk])
    submit(page, page.locator(f"[data-testid=review-box] button[formaction='{action}']"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(pending_status(page)).to_have_attribute("data-status", "approved")


def fill_signer(form) -> None:
    """The test agency has no head's name on record: the signer is typed in."""
    form.locator("input[name=signer_name]").fill("Đặng Văn Hải")
    form.locator("input[name=signer_title]").fill("GIÁM ĐỐC")


def sign_decision(page, number: str, date: str) -> None:
    """On a draft decision's page: record it as signed, which issues its revisions."""
    form = page.locator("form:has([data-testid=sign])")
    form.locator("input[name=number]").fill(number)
    fill_date(page, form, "date", date)
    submit(page, form.locator("[data-testid=sign]"))
    expect(page.locator(".alert-success")).to_be_visible()
    revisions = page.locator("[data-testid=decision-revisions] tbody [data-validity]")
    expect(revisions).to_have_count(1)
    expect(revisions).to_have_attribute("data-validity", re.compile("in_force|pending"))


# --- the story ---------------------------------------------------------------------------


def test_a_procedure_is_drafted_returned_fixed_approved_issued_and_read(
    page, live_server, e2e_world, tmp_path
):
    from eiso.documents.models import Acknowledgement, Document, IssuingDecision

    w = e2e_world

    # ---- revision 01: the secretary drafts the procedure with its DOCX and submits it ----
    sign_in_as(page, live_server, "an")
    page.goto(url(live_server, "documents:create"))
    form = page.locator("form:has(input[name=code])")
    form.locator("input[name=code]").fill(CODE)
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=kind]").select_option(KIND)
    fill_date(page, form, "effective_date", "01/03/2026")
    first_docx = docx_file(tmp_path / "QT-TTHC-01-lan-01.docx", "Lần ban hành 01.")
    form.locator("input[type=file][name=file]").set_input_files(str(first_docx))
    screenshot(page, "doc-01-new-procedure-form")
    submit(page, form.locator("button[type=submit]"))

    document = Document.objects.get(agency=w.A, code=CODE)
    expect(page).to_have_url(url(live_server, "documents:detail", document.pk))
    first = document.revisions.get()
    assert (first.number, first.status, first.drafted_by) == (1, "draft", w.an)
    assert list(first.files.values_list("original_name", "content_type")) == [
        (first_docx.name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    ]
    expect(pending_status(page)).to_have_attribute("data-status", "draft")
    expect(page.locator("[data-testid=pending-revision] [data-testid=files] a")).to_have_text(
        re.compile(re.escape(first_docx.name))
    )
    submit_for_review(page, first)

    # ---- the head approves it and issues it from the prefilled decision link ----
    sign_out(page, live_server)  # through the header's menu (the next sign-ins clear cookies)
    sign_in_as(page, live_server, "hai")
    open_document(page, live_server, document)
    approve(page, first)
    prepare = f"{reverse('documents:decision_create')}?revision={first.pk}"
    submit(page, page.locator(f"a[href='{prepare}']"))
    form = page.locator("form:has(input[name=signer_name])")
    expect(form.locator(f"input[name=revisions][value='{first.pk}']")).to_be_checked()
    fill_signer(form)
    submit(page, form.locator("button[type=submit]"))
    first_decision = IssuingDecision.objects.get(agency=w.A)
    expect(page).to_have_url(url(live_server, "documents:decision_detail", first_decision.pk))
    sign_decision(page, "1", "20/02/2026")
    first.refresh_from_db()
    assert first.status == "issued"

    # ---- revision 02: the secretary opens it, describes it and attaches the new DOCX ----
    sign_in_as(page, live_server, "an")
    open_document(page, live_server, document)
    expect(page.locator("[data-testid=current-revision] [data-validity]")).to_have_attribute(
        "data-validity", "in_force"
    )
    page.locator("button[data-bs-target='#start-form']").click()
    start = page.locator(
        f"form[action='{reverse('documents:revision_start', args=[document.pk])}']"
    )
    start.locator("input[name=change_summary]").fill("Cập nhật thời hạn giải quyết.")
    submit(page, start.locator("button[type=submit]"))
    second = document.revisions.get(number=2)
    assert (second.status, second.drafted_by) == ("draft", w.an)
    expect(page).to_have_url(url(live_server, "documents:revision_edit", second.pk))
    form = page.locator("form:has(textarea[name=change_summary])")
    fill_date(page, form, "effective_date", "01/06/2026")
    submit(page, form.locator("button[type=submit]"))
    expect(page).to_have_url(
        re.compile(re.escape(url(live_server, "documents:detail", document.pk)) + "(#pending)?$")
    )

    second_docx = docx_file(tmp_path / "QT-TTHC-01-lan-02.docx", "Lần ban hành 02.")
    upload = page.locator(
        f"form[action='{reverse('documents:revision_upload', args=[second.pk])}']"
    )
    upload.locator("input[type=file][name=file]").set_input_files(str(second_docx))
    submit(page, upload.locator("button[type=submit]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=pending-revision] [data-testid=files] a")).to_have_text(
        re.compile(re.escape(second_docx.name))
    )
    assert list(second.files.values_list("original_name", flat=True)) == [second_docx.name]
    submit_for_review(page, second)
    screenshot(page, "doc-02-revision-02-submitted")

    # ---- the head returns it with a comment ----
    sign_in_as(page, live_server, "hai")
    open_document(page, live_server, document)
    expect(pending_status(page)).to_have_attribute("data-status", "in_review")
    review = page.locator("[data-testid=review-box]")
    review.locator("textarea[name=comment]").fill(RETURN_COMMENT)
    returning = reverse("documents:revision_return", args=[second.pk])
    submit(
        page, review.locator(f"form[action='{returning}'] button[type=submit]:not([formaction])")
    )
    expect(pending_status(page)).to_have_attribute("data-status", "returned")
    second.refresh_from_db()
    assert (second.status, second.return_comment, second.reviewed_by) == (
        "returned",
        RETURN_COMMENT,
        w.hai,
    )

    # ---- the secretary sees the comment, fixes the draft and resubmits ----
    sign_in_as(page, live_server, "an")
    open_document(page, live_server, document)
    expect(pending_status(page)).to_have_attribute("data-status", "returned")
    expect(page.locator("[data-testid=return-comment]")).to_contain_text(RETURN_COMMENT)
    screenshot(page, "doc-03-returned-with-comment")
    edit = reverse("documents:revision_edit", args=[second.pk])
    submit(page, page.locator(f"[data-testid=pending-revision] a[href='{edit}']"))
    form = page.locator("form:has(textarea[name=change_summary])")
    form.locator("textarea[name=change_summary]").fill(FIXED_SUMMARY)
    form.locator("textarea[name=content]").fill(FIXED_CONTENT)
    submit(page, form.locator("button[type=submit]"))
    expect(page.locator("[data-testid=pending-revision]")).to_contain_text(FIXED_SUMMARY)
    second.refresh_from_db()
    # A browser sends a textarea's line breaks as CRLF (HTML spec); the text itself is what matters.
    assert second.change_summary == FIXED_SUMMARY
    assert second.content.replace("\r\n", "\n") == FIXED_CONTENT
    submit_for_review(page, second)

    # ---- meanwhile a staff member sees revision 01 only, not the draft ----
    sign_in_as(page, live_server, "binh")
    open_document(page, live_server, document)
    expect(page.locator("[data-testid=current-revision] [data-validity]")).to_have_attribute(
        "data-validity", "in_force"
    )
    expect(page.locator("[data-testid=pending-revision]")).to_have_count(0)
    expect(page.locator(f"a[href='{edit}']")).to_have_count(0)
    assert page.goto(url(live_server, "documents:revision_edit", second.pk)).status == 404
    draft_file = second.files.get()
    assert page.goto(url(live_server, "documents:file_download", draft_file.pk)).status == 404

    # ---- the head approves and issues it from the decisions page ----
    sign_in_as(page, live_server, "hai")
    open_document(page, live_server, document)
    approve(page, second)
    page.goto(url(live_server, "documents:decision_list"))
    submit(page, page.locator(f"main a[href='{reverse('documents:decision_create')}']"))
    form = page.locator("form:has(input[name=signer_name])")
    choices = form.locator("input[name=revisions]")
    expect(choices).to_have_count(1)  # revision 01 is issued already: only 02 waits
    choices.check()
    expect(form.locator(f"input[name=revisions][value='{second.pk}']")).to_be_checked()
    fill_signer(form)
    submit(page, form.locator("button[type=submit]"))
    decision = IssuingDecision.objects.exclude(pk=first_decision.pk).get(agency=w.A)
    expect(page).to_have_url(url(live_server, "documents:decision_detail", decision.pk))
    sign_decision(page, "15", "20/05/2026")
    screenshot(page, "doc-04-decision-signed")

    decision.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    document.refresh_from_db()
    assert (decision.status, decision.number, str(decision.date)) == (
        "signed",
        "15/QĐ-A",
        "2026-05-20",
    )
    assert (second.status, second.approved_by, second.decision_id) == ("issued", w.hai, decision.pk)
    assert str(second.effective_date) == "2026-06-01"
    assert first.status == "issued"  # nothing written: its end is computed from 02's date
    assert Document.objects.get(pk=document.pk).in_force == second

    # ---- the document page: 02 in force under decision 15, 01 no longer under decision 01 ----
    open_document(page, live_server, document)
    current = page.locator("[data-testid=current-revision]")
    expect(current.locator("[data-validity]")).to_have_attribute("data-validity", "in_force")
    expect(current.locator(".card-header")).to_contain_text("02")
    decision_url = reverse("documents:decision_detail", args=[decision.pk])
    expect(current.locator(f"a[href='{decision_url}']")).to_have_text("15/QĐ-A")
    expect(current.locator("[data-testid=files] a")).to_have_text(
        re.compile(re.escape(second_docx.name))
    )
    expect(page.locator("[data-testid=pending-revision]")).to_have_count(0)
    earlier = page.locator("[data-testid=earlier-revisions] tbody tr")
    expect(earlier).to_have_count(1)
    expect(earlier.locator("td").first).to_have_text("01")
    expect(earlier.locator("[data-validity]")).to_have_attribute("data-validity", "expired")
    expect(earlier).to_contain_text("01/06/2026")  # since the day 02 took effect
    first_url = reverse("documents:decision_detail", args=[first_decision.pk])
    expect(earlier.locator(f"a[href='{first_url}']")).to_have_text("01/QĐ-A")
    expect(earlier).to_contain_text(first_docx.name)
    screenshot(page, "doc-05-head-sees-current-and-superseded")

    # ---- the staff member sees the new revision only and confirms reading it ----
    sign_in_as(page, live_server, "binh")
    open_document(page, live_server, document)
    current = page.locator("[data-testid=current-revision]")
    expect(current.locator("[data-validity]")).to_have_attribute("data-validity", "in_force")
    expect(current.locator(".card-header")).to_contain_text("02")
    expect(current.locator("[data-testid=files] a")).to_have_text(
        re.compile(re.escape(second_docx.name))
    )
    expect(page.locator("[data-testid=pending-revision]")).to_have_count(0)
    expect(page.locator("[data-testid=earlier-revisions]")).to_have_count(0)
    expect(page.locator("[data-testid=acknowledgements]")).to_have_count(0)
    with page.expect_download() as download:
        current.locator("[data-testid=files] a").click()
    assert download.value.suggested_filename == second_docx.name
    assert "Lần ban hành 02." in docx_text(Path(download.value.path()).read_bytes())

    asked = Acknowledgement.objects.get(revision=second, user=w.binh)
    assert asked.acknowledged_at is None
    must_read = page.locator("[data-testid=must-read]")
    expect(must_read).to_be_visible()
    screenshot(page, "doc-06-staff-asked-to-read")
    acknowledge = reverse("documents:acknowledge", args=[second.pk])
    submit(page, must_read.locator(f"form[action='{acknowledge}'] button[type=submit]"))
    expect(page.locator("[data-testid=must-read]")).to_have_count(0)
    expect(page.locator("[data-testid=read-confirmed]")).to_be_visible()
    screenshot(page, "doc-07-staff-confirmed-reading")
    asked.refresh_from_db()
    assert asked.acknowledged_at is not None
    assert not Acknowledgement.objects.filter(
        revision=first, user=w.binh, acknowledged_at__isnull=False
    ).exists()

    # ---- the head's page counts the reading ----
    sign_in_as(page, live_server, "hai")
    open_document(page, live_server, document)
    readers = page.locator("[data-testid=acknowledgements]")
    expect(
        readers.locator("li", has_text=w.binh.full_name).locator(".text-success")
    ).to_be_visible()
    read = Acknowledgement.objects.filter(revision=second, acknowledged_at__isnull=False).count()
    total = Acknowledgement.objects.filter(revision=second).count()
    expect(readers.locator(".card-header .badge")).to_have_text(f"{read} / {total}")


# --- refusals ----------------------------------------------------------------------------


def test_the_head_cannot_approve_a_revision_they_drafted(page, live_server, e2e_world, tmp_path):
    from eiso.documents.models import Document

    w = e2e_world
    sign_in_as(page, live_server, "hai")
    page.goto(url(live_server, "documents:create"))
    form = page.locator("form:has(input[name=code])")
    form.locator("input[name=code]").fill(CODE)
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=kind]").select_option(KIND)
    form.locator("input[type=file][name=file]").set_input_files(
        str(docx_file(tmp_path / "QT-TTHC-01.docx", "Dự thảo của lãnh đạo."))
    )
    submit(page, form.locator("button[type=submit]"))
    document = Document.objects.get(agency=w.A, code=CODE)
    revision = document.revisions.get()
    assert revision.drafted_by == w.hai
    expect(page).to_have_url(url(live_server, "documents:detail", document.pk))
    submit_for_review(page, revision)

    # The review box is there (the head may still return it) but without the approve button.
    review = page.locator("[data-testid=review-box]")
    expect(review).to_be_visible()
    expect(review.locator("[data-testid=self-approval-note]")).to_be_visible()
    approve_url = reverse("documents:revision_approve", args=[revision.pk])
    expect(page.locator(f"[formaction='{approve_url}']")).to_have_count(0)
    expect(page.locator(f"form[action='{approve_url}']")).to_have_count(0)
    screenshot(page, "doc-08-no-self-approval")

    # A forged approval (the page's own form, pointed at the approve URL) is refused.
    page.eval_on_selector(
        "[data-testid=review-box] form", "(form, action) => { form.action = action; }", approve_url
    )
    submit(page, review.locator("button[type=submit]").first)
    expect(page).to_have_url(
        re.compile(re.escape(url(live_server, "documents:detail", document.pk)) + "(#pending)?$")
    )
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(pending_status(page)).to_have_attribute("data-status", "in_review")
    revision.refresh_from_db()
    assert (revision.status, revision.approved_by) == ("in_review", None)
    assert not revision.events.filter(action="approve").exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(page, live_server, e2e_world):
    from eiso.documents.models import Document, RevisionFile

    w = e2e_world
    fake = {
        "name": "QT-TTHC-01.docx",
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "buffer": "Không phải tệp Word, chỉ là văn bản.\n".encode(),
    }
    sign_in_as(page, live_server, "an")

    # On the new-document form: the field shows the error, no document is created.
    page.goto(url(live_server, "documents:create"))
    form = page.locator("form:has(input[name=code])")
    form.locator("input[name=code]").fill(CODE)
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=kind]").select_option(KIND)
    form.locator("input[type=file][name=file]").set_input_files(fake)
    submit(page, form.locator("button[type=submit]"))
    expect(page).to_have_url(url(live_server, "documents:create"))
    file_error = page.locator("div:has(> input[name=file]) .invalid-feedback")
    expect(file_error).to_be_visible()
    expect(file_error).not_to_have_text("")
    expect(page.locator("input[name=code]")).to_have_value(CODE)  # what was typed is kept
    screenshot(page, "doc-09-wrong-file-type-on-create")
    assert not Document.objects.filter(agency=w.A, code=CODE).exists()
    assert not RevisionFile.objects.exists()

    # Created without a file, then the same file on the document page: refused, none attached.
    form = page.locator("form:has(input[name=code])")
    form.locator("textarea[name=content]").fill("Nội dung tạm.")
    submit(page, form.locator("button[type=submit]"))
    document = Document.objects.get(agency=w.A, code=CODE)
    revision = document.revisions.get()
    expect(page).to_have_url(url(live_server, "documents:detail", document.pk))
    upload = page.locator(
        f"form[action='{reverse('documents:revision_upload', args=[revision.pk])}']"
    )
    upload.locator("input[type=file][name=file]").set_input_files(fake)
    submit(page, upload.locator("button[type=submit]"))
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator("[data-testid=pending-revision] [data-testid=files] a")).to_have_count(0)
    screenshot(page, "doc-10-wrong-file-type-on-upload")
    assert not RevisionFile.objects.exists()
