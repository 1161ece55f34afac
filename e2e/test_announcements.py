"""Announcements of conformity as people meet them in a browser (issue 4, "Must show"), from the
agency's side and the overseer's side: an agency that announced once adds procedures to its
scope; the QMS page says a re-announcement is due; the secretary prepares it (the reason is
prefilled), downloads the draft decision (a PDF listing the new procedures), records it as
signed (typing the number only: the agency's symbol is filled in), attaches the signed scan and
sends it; the overseer sees the new number in the registry, acknowledges receipt, and the
summary's re-announced count for the agency's tier goes up by one. Then (issue 7) the overseer
returns an announcement for correction with a reason; the secretary finds it in her inbox, sees
why, corrects it and sends it again; the overseer receives it and the agency is told.

Only the catalogue and the initial state (the procedures A handled and its first announcement)
are set up directly. Assertions rest on ``data-testid`` hooks, form field names, URLs, the data
itself (procedure codes, decision numbers) and counts — not on the wording of labels."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_as, submit, url
from eiso.procedures import services as procedure_services
from eiso.procedures.models import HandledProcedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HANDLED = ["1.001612.000.00.00.H01", "2.000635"]  # in the first announcement
ADDED = ["1.000894.000.00.00.H01", "2.002189"]  # added through the pages
ELSEWHERE = ["1.008901.000.00.00.H01"]  # in the catalogue (another field), not handled by A
FIELD, OTHER_FIELD = "Tư pháp", "Y tế"
FIRST_NUMBER = "15/QĐ-A"
NEW_TYPED = "42"  # the secretary types the number only …
NEW_NUMBER = "42/QĐ-A"  # … and the agency's symbol (agency A's code) is filled in
PDF_SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TIERS = ("provincial", "district", "commune", "total")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder (the live server reads the same settings)."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- small page helpers ------------------------------------------------------------------


def summary_counts(page, live_server, column: str) -> dict[str, int]:
    """One column of the summary table, per tier row shown (and the total row)."""
    page.goto(url(live_server, "oversight:summary"))
    expect(page.locator("[data-testid=summary-table]")).to_be_visible()
    counts = {}
    for tier in TIERS:
        cell = page.locator(f"[data-testid=summary-{tier}-{column}]")
        if cell.count():  # the count itself, before the "x/y · z%" line under it
            counts[tier] = int(cell.evaluate("td => td.firstChild.textContent.trim()"))
    return counts


def pdf_text(data: bytes) -> str | None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    result = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return " ".join(result.stdout.decode().split())


# --- the initial state ---------------------------------------------------------------------


def first_announcement(world, on: datetime.date):
    """The catalogue, the two procedures A handles, and A's first announcement (signed)."""
    from eiso.procedures import services as procedure_services
    from eiso.qms import services

    catalogue = {
        code: procedure_services.procedure_create(
            actor=world.dung,
            code=code,
            name=f"Thủ tục {code}",
            level="provincial",
            field=OTHER_FIELD if code in ELSEWHERE else FIELD,
            time_limit_days=10,
        )
        for code in [*HANDLED, *ADDED, *ELSEWHERE]
    }
    procedure_services.handled_assign(
        actor=world.an, agency=world.A, procedures=[catalogue[c] for c in HANDLED]
    )
    draft = services.announcement_create(
        actor=world.an, agency=world.A, signer_name="Đặng Văn Hải", signer_title="GIÁM ĐỐC"
    )
    first = services.announcement_sign(
        actor=world.an,
        announcement=draft,
        number=FIRST_NUMBER,
        date=on,
        signed_scan=SimpleUploadedFile("qd-15.pdf", PDF_SCAN, content_type="application/pdf"),
    )
    return catalogue, first


# --- the story ---------------------------------------------------------------------------


def test_scope_change_reannouncement_is_prepared_signed_sent_received_and_counted(
    page, live_server, e2e_world, tmp_path
):
    from eiso.procedures.models import HandledProcedure
    from eiso.qms.models import Announcement

    w = e2e_world
    today = timezone.localdate()
    catalogue, first = first_announcement(w, today - datetime.timedelta(days=120))
    assert first.kind == "first" and first.status == "signed"

    # ---- the overseer reads the summary before anything happens ----
    sign_in_as(page, live_server, "dung")
    re_before = summary_counts(page, live_server, "re_announced")
    announced_before = summary_counts(page, live_server, "announced")
    assert "provincial" in re_before, re_before  # A (a department) counts at provincial level
    screenshot(page, "ann-01-summary-before")

    # ---- the secretary adds the two procedures of its field to A's scope ----
    # The add page lists what may be added. Its own buttons do not work in a browser (see the
    # report: the submit handler disables the clicked button, so ``mode`` is not sent), so the
    # procedures are added "in bulk by field" from the form on the list page, which carries
    # ``mode`` in a hidden input.
    sign_in_as(page, live_server, "an")
    page.goto(url(live_server, "qms:record"))
    expect(page.locator("[data-testid=reannouncement-due]")).to_have_count(0)
    page.goto(url(live_server, "procedures:handled_add"))
    assignable = page.locator("[data-testid=assignable-table]")
    for code in [*ADDED, *ELSEWHERE]:
        expect(assignable.locator("code", has_text=code)).to_be_visible()
    for code in HANDLED:  # already handled: not offered
        expect(assignable.locator("code", has_text=code)).to_have_count(0)
    screenshot(page, "ann-02-add-procedures")
    page.goto(url(live_server, "procedures:handled"))
    add = page.locator(
        f"form[action^='{reverse('procedures:handled_add')}']:has(select[name=field])"
    )
    add.locator("select[name=field]").select_option(FIELD)
    submit(page, add.locator("button[type=submit]"))
    expect(page).to_have_url(re.compile(re.escape(url(live_server, "procedures:handled")) + r"\?"))
    handled = page.locator("[data-testid=handled-table]")
    for code in [*HANDLED, *ADDED]:
        expect(handled.locator("code", has_text=code)).to_be_visible()
    expect(handled.locator("code", has_text=ELSEWHERE[0])).to_have_count(0)
    assert set(
        HandledProcedure.objects.filter(agency=w.A, is_active=True).values_list(
            "procedure__code", flat=True
        )
    ) == {*HANDLED, *ADDED}

    # ---- the QMS page: a re-announcement is due, naming the procedures added ----
    page.goto(url(live_server, "qms:record"))
    due = page.locator("[data-testid=reannouncement-due]")
    expect(due).to_be_visible()
    for code in ADDED:
        expect(due).to_contain_text(code)
    screenshot(page, "ann-03-reannouncement-due")
    submit(page, due.locator("[data-testid=prepare-reannouncement]"))
    expect(page).to_have_url(url(live_server, "qms:announcement_create"))

    # ---- the re-announcement: the reason is prefilled with the scope change ----
    form = page.locator("form:has(textarea[name=reason])")
    reason = form.locator("textarea[name=reason]")
    for code in ADDED:
        expect(reason).to_have_value(re.compile(re.escape(code)))
    scope_now = page.locator("[data-testid=scope-now]")
    for code in [*HANDLED, *ADDED]:
        expect(scope_now).to_contain_text(code)
    # The test agency has no head's name on record: the signer is typed in.
    form.locator("input[name=signer_name]").fill("Đặng Văn Hải")
    form.locator("input[name=signer_title]").fill("GIÁM ĐỐC")
    submit(page, form.locator("button[type=submit]"))
    draft = Announcement.objects.get(agency=w.A, status="draft")
    expect(page).to_have_url(url(live_server, "qms:announcement_detail", draft.pk))
    assert draft.kind == "re" and all(code in draft.reason for code in ADDED)
    assert sorted(draft.procedure_codes) == sorted([*HANDLED, *ADDED])
    scope = page.locator("[data-testid=announcement-scope]")
    for code in [*HANDLED, *ADDED]:
        expect(scope.locator("code", has_text=code)).to_be_visible()
    screenshot(page, "ann-04-draft")

    # ---- the draft decision as PDF, from the link on the page ----
    pdf_href = reverse("qms:announcement_pdf", args=[draft.pk])
    expect(page.locator(f"[data-testid=announcement-files] a[href='{pdf_href}']")).to_be_visible()
    response = page.request.get(f"{live_server.url}{pdf_href}")
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    body = response.body()
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    if text is not None:  # poppler-utils present: the new procedures are in the decision
        assert all(code in text for code in ADDED), text[:500]

    # ---- recorded as signed (number, date), the signed scan attached, sent ----
    sign = page.locator("form:has([data-testid=sign])")
    sign.locator("input[name=number]").fill(NEW_TYPED)
    sign.locator("input[name=date]").fill(f"{today:%d/%m/%Y}")
    submit(page, sign.locator("[data-testid=sign]"))
    expect(page.locator(".alert-success")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.date) == ("signed", NEW_NUMBER, today)
    expect(page.locator("[data-testid=reannouncement-due]")).to_have_count(0)

    scan_path = tmp_path / "qd-42-da-ky.pdf"
    scan_path.write_bytes(PDF_SCAN)
    scan_action = reverse("qms:announcement_scan_upload", args=[draft.pk])
    scan_form = page.locator(f"form[action='{scan_action}']")
    scan_form.locator("input[type=file][name=signed_scan]").set_input_files(str(scan_path))
    submit(page, scan_form.locator("button[type=submit]"))
    expect(page.locator(".alert-success")).to_be_visible()
    scan_href = reverse("qms:announcement_scan", args=[draft.pk])
    expect(page.locator(f"a[href='{scan_href}']")).to_contain_text(scan_path.name)
    draft.refresh_from_db()
    assert draft.signed_file_name == scan_path.name

    submit(page, page.locator("[data-testid=send]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=send]")).to_have_count(0)
    draft.refresh_from_db()
    assert draft.status == "sent" and draft.sent_at is not None
    screenshot(page, "ann-05-sent")

    page.goto(url(live_server, "qms:record"))
    expect(page.locator("[data-testid=reannouncement-due]")).to_have_count(0)
    expect(page.locator("[data-testid=latest-announcement]")).to_contain_text(NEW_NUMBER)

    # ---- the overseer: the registry shows the new number; receipt acknowledged ----
    sign_in_as(page, live_server, "dung")
    page.goto(url(live_server, "oversight:registry"))
    row = page.locator(f"[data-testid=registry-{w.A.code}]")
    expect(row.locator("[data-testid=registry-number]")).to_have_text(NEW_NUMBER)
    screenshot(page, "ann-06-registry")

    page.goto(url(live_server, "qms:announcement_detail", draft.pk))
    receive = page.locator("form:has([data-testid=receive])")
    expect(receive.locator("input[name=on]")).to_have_value(f"{today:%d/%m/%Y}")
    submit(page, receive.locator("[data-testid=receive]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=receive]")).to_have_count(0)
    draft.refresh_from_db()
    assert (draft.status, draft.received_on, draft.received_by) == ("received", today, w.dung)

    # ---- the summary: one more re-announced agency at provincial level, nothing else ----
    re_after = summary_counts(page, live_server, "re_announced")
    announced_after = summary_counts(page, live_server, "announced")
    screenshot(page, "ann-07-summary-after")
    expected = {
        tier: n + 1 if tier in ("provincial", "total") else n for tier, n in re_before.items()
    }
    assert re_after == expected, (re_before, re_after)
    assert announced_after == announced_before  # A had announced already
    annex = page.locator(f"[data-testid=annex-{w.A.code}] [data-testid=annex-number]")
    expect(annex).to_have_text(NEW_NUMBER)


def test_ticked_procedures_are_added_from_the_add_page(page, live_server, e2e_world):
    """The busy-button script must not drop the clicked button's name=value (mode=picked)."""
    world = e2e_world
    procedures = [
        procedure_services.procedure_create(
            actor=world.dung,
            code=f"2.00{n}",
            name=f"Thủ tục thử {n}",
            level="commune",
            field="Hộ tịch",
        )
        for n in range(3)
    ]
    sign_in_as(page, live_server, "an")
    page.goto(url(live_server, "procedures:handled_add"))
    page.locator(f"input[name=procedures][value='{procedures[1].pk}']").check()
    submit(page, page.locator("button[name=mode][value=picked]"))
    handled = set(
        HandledProcedure.objects.filter(agency=world.A, is_active=True).values_list(
            "procedure__code", flat=True
        )
    )
    assert handled == {"2.001"}


def test_an_announcement_returned_for_correction_is_corrected_sent_again_and_received(
    page, live_server, e2e_world
):
    from eiso.core.models import Notification
    from eiso.qms import services
    from eiso.qms.models import Announcement

    w = e2e_world
    _catalogue, first = first_announcement(w, timezone.localdate() - datetime.timedelta(days=3))
    services.announcement_send(actor=w.an, announcement=first)
    detail = url(live_server, "qms:announcement_detail", first.pk)
    reason = "Số quyết định trên hệ thống khác bản scan: đề nghị kiểm tra lại."

    # ---- the overseer returns it, saying why ----
    sign_in_as(page, live_server, "dung")
    page.goto(detail)
    back = page.locator("form:has([data-testid=return])")
    back.locator("textarea[name=reason]").fill(reason)
    submit(page, back.locator("[data-testid=return]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=receive]")).to_have_count(0)
    assert Announcement.objects.get(pk=first.pk).status == "returned"

    # ---- the secretary finds it in her inbox, sees why, corrects it and sends it again ----
    sign_in_as(page, live_server, "an")
    page.goto(url(live_server, "inbox:list"))
    item = page.locator("[data-testid=inbox] [data-kind='qms.announcement']", has_text=reason)
    expect(item).to_be_visible()
    submit(page, item.locator("a"))
    expect(page).to_have_url(detail)
    expect(page.locator("[data-testid=returned-reason]")).to_contain_text(reason)
    screenshot(page, "ann-08-returned")
    correct = page.locator("form:has([data-testid=correct])")
    correct.locator("input[name=number]").fill("16")
    correct.locator("textarea[name=comment]").fill("Sửa số theo bản đã ký.")
    submit(page, correct.locator("[data-testid=correct]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("dd[data-testid=announcement-number]")).to_have_text("16/QĐ-A")
    submit(page, page.locator("[data-testid=send]"))
    expect(page.locator(".alert-success")).to_be_visible()
    history = page.locator("[data-testid=announcement-history]")
    expect(history).to_contain_text(reason)
    expect(history.locator("[data-action=send]")).to_have_count(2)

    # ---- the overseer receives it; the agency is told, with a link to the announcement ----
    sign_in_as(page, live_server, "dung")
    page.goto(detail)
    submit(page, page.locator("form:has([data-testid=receive]) [data-testid=receive]"))
    expect(page.locator(".alert-success")).to_be_visible()
    done = Announcement.objects.get(pk=first.pk)
    assert (done.status, done.number) == ("received", "16/QĐ-A")

    # ---- the overseer's list: filtered by agency, searched by number ----
    page.goto(url(live_server, "qms:announcements"))
    filters = page.locator("[data-testid=list-filters]")
    # the agency is typed (AgencyField): its suggestions come from the agencies API
    filters.locator("[data-agency-input]").fill(w.A.code)
    filters.locator(f"[data-agency-id='{w.A.pk}']").click()
    expect(filters.locator("input[name=agency]")).to_have_value(str(w.A.pk))
    filters.locator("input[name=q]").fill("16")
    submit(page, filters.locator("button[type=submit]"))
    rows = page.locator("[data-testid=announcement-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-testid=announcement-number]")).to_have_text("16/QĐ-A")
    screenshot(page, "ann-09-overseer-list")
    told = Notification.objects.filter(
        user=w.an, url=reverse("qms:announcement_detail", args=[first.pk])
    )
    assert told.count() == 2  # returned, then received
