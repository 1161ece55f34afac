"""Announcement pages after issue 7: the overseer returns an announcement with a reason and the
agency sees why, corrects and sends again; drafts are edited and discarded; the overseer's list
is filtered by agency and searched by number (query count pinned); the subject line shown is
the one the DOCX/PDF prints; the inbox shows what was returned; one meaning per word on the QMS
page."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from eiso.core.inbox import inbox_for
from eiso.qms import outputs, services
from eiso.qms.choices import AnnouncementStatus
from eiso.qms.models import Announcement
from eiso.qms.tests.test_qms import DAY, on, scan, scoped

LATER = DAY + datetime.timedelta(days=5)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def body(response) -> str:
    return response.content.decode()


def detail(announcement) -> str:
    return reverse("qms:announcement_detail", args=[announcement.pk])


def prepared(world, agency=None, actor=None, code="1.001"):
    scoped(world, code, agency=agency)
    return services.announcement_create(
        actor=actor or world.an,
        agency=agency or world.A,
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
    )


def sent(world, agency=None, actor=None, number="25", code="1.001"):
    actor = actor or world.an
    draft = prepared(world, agency, actor, code)
    signed = services.announcement_sign(
        actor=actor, announcement=draft, number=number, date=DAY, signed_scan=scan()
    )
    return services.announcement_send(actor=actor, announcement=signed)


# --- returned for correction ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_overseer_returns_it_the_agency_sees_why_corrects_and_sends_again(client, world):
    with on(LATER):
        announcement = sent(world)
        client.force_login(world.dung)
        back = reverse("qms:announcement_return", args=[announcement.pk])
        empty = client.post(back, {"reason": ""})
        assert empty.status_code == 200 and "invalid-feedback" in body(empty)
        assert Announcement.objects.get(pk=announcement.pk).status == AnnouncementStatus.SENT
        reason = "Số quyết định ghi sai: đúng là 26."
        assert client.post(back, {"reason": reason}).status_code == 302

        client.force_login(world.an)
        assert client.post(back, {"reason": "x"}).status_code == 404  # not the overseer
        page = body(client.get(detail(announcement)))
        assert 'data-testid="returned-reason"' in page and escape(reason) in page
        assert 'data-testid="correct"' in page and 'data-testid="send"' in page
        correct = reverse("qms:announcement_correct", args=[announcement.pk])
        data = {
            "number": "26",
            "date": DAY.strftime("%d/%m/%Y"),
            "signer_name": "Đặng Văn Hải",
            "signer_title": "GIÁM ĐỐC",
            "comment": "Sửa số",
        }
        assert client.post(correct, data).status_code == 302
        send = reverse("qms:announcement_send", args=[announcement.pk])
        assert client.post(send).status_code == 302
        history = body(client.get(detail(announcement)))
    again = Announcement.objects.get(pk=announcement.pk)
    assert (again.status, again.number) == (AnnouncementStatus.SENT, "26/QĐ-A")
    assert history.count('data-action="send"') == 2 and 'data-action="return"' in history
    assert escape(reason) in history  # the history keeps the overseer's words


@pytest.mark.django_db
def test_the_returned_announcement_waits_in_the_keepers_inbox_with_the_reason(world):
    with on(LATER):
        announcement = sent(world)
        services.announcement_return(
            actor=world.dung, announcement=announcement, reason="Thiếu chữ ký"
        )
    items = [i for i in inbox_for(world.an) if i.url == detail(announcement)]
    assert len(items) == 1 and items[0].detail == "Thiếu chữ ký"
    assert not [i for i in inbox_for(world.binh) if i.url == detail(announcement)]
    assert not [i for i in inbox_for(world.dung) if i.url == detail(announcement)]


# --- drafts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_is_edited_then_discarded_from_its_page(client, world):
    draft = prepared(world)
    client.force_login(world.an)
    page = body(client.get(detail(draft)))
    assert 'data-testid="edit-draft"' in page and 'data-testid="discard"' in page
    edit = reverse("qms:announcement_edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    data = {"signer_name": "Lê Thị Phó", "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"}
    assert client.post(edit, data).status_code == 302
    assert Announcement.objects.get(pk=draft.pk).signer_name == "Lê Thị Phó"
    client.force_login(world.binh)  # staff: the table says no, what was typed is kept
    refused = client.post(edit, {**data, "signer_name": "Người khác"})
    assert refused.status_code == 404 or 'value="Người khác"' in body(refused)
    assert Announcement.objects.get(pk=draft.pk).signer_name == "Lê Thị Phó"
    client.force_login(world.an)
    discard = reverse("qms:announcement_discard", args=[draft.pk])
    response = client.post(discard, {"reason": "Soạn lại"})
    assert response.url == reverse("qms:announcements")
    assert Announcement.objects.get(pk=draft.pk).status == AnnouncementStatus.DISCARDED
    listing = body(client.get(reverse("qms:announcements")))
    assert detail(draft) not in listing
    assert detail(draft) in body(client.get(reverse("qms:announcements") + "?status=discarded"))
    assert client.get(edit).status_code == 404  # no longer a draft


@pytest.mark.django_db
def test_a_signed_announcement_offers_no_edit_or_discard(client, world):
    with on(LATER):
        announcement = sent(world)
        client.force_login(world.an)
        page = body(client.get(detail(announcement)))
        assert 'data-testid="edit-draft"' not in page and 'data-testid="discard"' not in page
        assert (
            client.get(reverse("qms:announcement_edit", args=[announcement.pk])).status_code == 404
        )
        response = client.post(
            reverse("qms:announcement_discard", args=[announcement.pk]), {}, follow=True
        )
    assert Announcement.objects.get(pk=announcement.pk).status == AnnouncementStatus.SENT
    assert response.status_code == 200


# --- the overseer's list: by agency, by number ----------------------------------------------


@pytest.mark.django_db
def test_the_overseer_filters_by_agency_and_searches_by_number(
    client, world, django_assert_num_queries
):
    with on(LATER):
        a25 = sent(world, number="25")
        b125 = sent(world, agency=world.B, actor=world.quan, number="125", code="2.001")
        b25 = sent(world, agency=world.B, actor=world.quan, number="25/QĐ-B", code="2.002")
    client.force_login(world.dung)
    url = reverse("qms:announcements")
    page = body(client.get(url))
    assert all(detail(a) in page for a in (a25, b125, b25))
    assert 'name="agency"' in page and 'name="q"' in page  # the overseer gets both filters
    only_b = body(client.get(f"{url}?agency={world.B.pk}"))
    assert detail(a25) not in only_b and detail(b125) in only_b and detail(b25) in only_b
    by_number = body(client.get(f"{url}?q=25"))
    assert detail(a25) in by_number and detail(b25) in by_number
    assert detail(b125) not in by_number  # "25" is the number 25, not any number ending so
    full = body(client.get(f"{url}?q=25/qđ-b"))
    assert detail(b25) in full and detail(a25) not in full
    both = body(client.get(f"{url}?q=25&agency={world.A.pk}"))
    assert detail(a25) in both and detail(b25) not in both
    ordered = body(client.get(f"{url}?ordering=number"))
    assert ordered.index(detail(a25)) < ordered.index(detail(b125))
    search = f"{url}?q=qđ&ordering=number"  # not a number: what contains "QĐ", every row
    with django_assert_num_queries(6) as one:
        # session, user, memberships, scope; count; rows (the agency is typed, not listed)
        client.get(search)
    for n in range(20):
        sent(world, agency=world.B, actor=world.quan, number=f"{200 + n}", code=f"3.{n:03d}")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(search).status_code == 200


@pytest.mark.django_db
def test_a_secretary_sees_no_agency_filter_and_no_foreign_rows(client, world):
    with on(LATER):
        sent(world, agency=world.B, actor=world.quan, number="125", code="2.001")
    client.force_login(world.an)
    page = body(client.get(reverse("qms:announcements")))
    assert 'name="agency"' not in page and 'name="q"' in page
    assert "125/QĐ-B" not in page
    assert client.get(reverse("qms:announcements") + f"?agency={world.B.pk}").status_code == 200


@pytest.mark.django_db
def test_the_list_becomes_cards_on_a_phone(client, world):
    with on(LATER):
        sent(world)
    client.force_login(world.an)
    page = body(client.get(reverse("qms:announcements")))
    table = page[page.index('data-testid="announcement-table"') :]
    table = table[: table.index("</table>")]
    assert "table-cards" in page
    assert table.count("<td") == table.count("data-label=")


# --- the subject line: the page says what the document prints --------------------------------


@pytest.mark.django_db
def test_the_subject_line_shown_is_exactly_the_one_printed(client, world):
    import docx

    with on(LATER):
        announcement = sent(world)
    client.force_login(world.an)
    subject = outputs.announcement_subject(announcement)
    assert subject.startswith("Về việc công bố Hệ thống quản lý chất lượng")
    page = body(client.get(detail(announcement)))
    assert f'data-testid="announcement-subject">{escape(subject)}<' in page
    document = docx.Document(
        io.BytesIO(client.get(reverse("qms:announcement_docx", args=[announcement.pk])).content)
    )
    paragraphs = [p.text.strip() for p in document.paragraphs]
    assert subject in paragraphs
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    pdf = client.get(reverse("qms:announcement_pdf", args=[announcement.pk])).content
    text = subprocess.run(
        [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert subject in " ".join(text.split())


# --- one meaning per word --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_qms_page_says_open_and_up_to_date_in_their_own_sense(client, world):
    from eiso.qms import services as qms_services

    qms_services.committee_decision_create(
        actor=world.an,
        agency=world.A,
        number="5",
        date=DAY,
        members=[{"user": world.hai, "committee_role": "head"}],
    )
    client.force_login(world.an)
    page = body(client.get(reverse("qms:record")))
    with translation.override("vi"):
        task_open = translation.gettext("Open")
        master_list_done = translation.gettext("Up to date")
        link = translation.pgettext("go to the page", "Open")
        committee_done = translation.pgettext("steering committee", "Up to date")
    assert link != task_open and committee_done != master_list_done
    assert link in page and committee_done in page
    assert task_open not in page and master_list_done not in page
