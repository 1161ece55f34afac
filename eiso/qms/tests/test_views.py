"""Agency-side pages of the QMS: the record, the steering committee, the announcements —
isolation, the life of an announcement, refusals that save nothing, query counts, the files."""

import datetime
import shutil
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from eiso.core.testing import IsolationContract
from eiso.documents.tests.factories import tr
from eiso.qms import services
from eiso.qms.choices import AnnouncementStatus, QmsStatus
from eiso.qms.models import Announcement, CommitteeDecision, QualitySystem
from eiso.qms.tests.test_qms import DAY, announce, on, scan, scoped

TODAY = timezone.localdate()
KEEPER = {"A": "an", "B": "quan", "C": "quan"}
QUERIES = {"announcements": 6, "committee": 8}  # session, user, role, scope, then the page


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def body(response) -> str:
    return response.content.decode()


def shows(response, message: str, **params) -> bool:
    """The page shows ``message`` as the site's language renders it."""
    return escape(tr(message, **params)) in body(response)


def at(name: str, agency=None, *args) -> str:
    url = reverse(name, args=args)
    return f"{url}?agency={agency.pk}" if agency is not None else url


def keeper(world, agency):
    return world.persona(KEEPER[agency.code])


def code_for(agency, n: int = 1) -> str:
    return f"{agency.code}.{n:03d}.{uuid.uuid4().hex[:4]}"


def unique_number(agency) -> str:
    """A decision number no other test row shares (a marker in the lists)."""
    return f"{1000 + uuid.uuid4().int % 9000}/QĐ-{agency.code}"


def signed(world, agency, number=None, send=False):
    scoped(world, code_for(agency), agency=None if agency.code == "A" else agency)
    done = announce(world, agency=agency, number=number or "25", actor=keeper(world, agency))
    if send:
        done = services.announcement_send(actor=keeper(world, agency), announcement=done)
    return done


def committee(world, agency, number=None):
    return services.committee_decision_create(
        actor=keeper(world, agency),
        agency=agency,
        number=number or "7",
        date=DAY,
        upload=SimpleUploadedFile("bcd.pdf", b"%PDF-1.4\n%%EOF\n"),
        members=[{"name": f"Trưởng ban {agency.code}", "committee_role": "head"}],
    )


def members_post(rows, extra=0, **fields):
    data = {
        "members-TOTAL_FORMS": str(len(rows) + extra),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"members-{i}-{key}"] = value
    return data


# --- isolation -------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRecordPagesIsolation(IsolationContract):
    """The record of A: ``an`` reads and edits it, ``chi`` gets 404 on ``?agency=A``, ``dung``
    reads it (C is outside his province) and cannot edit it."""

    def make(self, world, agency):
        marker = f"Hoạt động {uuid.uuid4().hex[:8]}"
        services.qms_update(actor=world.quan, agency=agency, data={"internal_activities": marker})
        return QualitySystem.objects.get(agency=agency)

    def list_url(self):
        return reverse("qms:record")

    def marker(self, obj):
        return obj.internal_activities

    def read_urls(self, obj):
        return [at("qms:record", obj.agency), at("qms:committee", obj.agency)]

    def change_requests(self, obj):
        data = {"standard_version": "2015", "status": "building", "version": obj.version}
        return [
            ("get", at("qms:record_edit", obj.agency), {}),
            ("post", at("qms:record_edit", obj.agency), data),
        ]


@pytest.mark.django_db
class TestCommitteePagesIsolation(IsolationContract):
    def make(self, world, agency):
        return committee(world, agency, number=unique_number(agency))

    def list_url(self):
        return reverse("qms:committee")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [at("qms:committee", obj.agency), reverse("qms:committee_file", args=[obj.pk])]

    def change_requests(self, obj):
        data = members_post(
            [{"name": "X", "committee_role": "head"}], number="9/QĐ", date="01/09/2025"
        )
        return [("post", at("qms:committee", obj.agency), data)]

    def create_request(self, world, agency):
        data = members_post(
            [{"name": "X", "committee_role": "head"}], number="9/QĐ", date="01/09/2025"
        )
        return ("post", at("qms:committee", agency), data)

    def count(self):
        return CommitteeDecision.objects.count()


@pytest.mark.django_db
class TestAnnouncementPagesIsolation(IsolationContract):
    def make(self, world, agency):
        return signed(world, agency, number=unique_number(agency))

    def list_url(self):
        return reverse("qms:announcements")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [
            reverse("qms:announcement_detail", args=[obj.pk]),
            reverse("qms:announcement_docx", args=[obj.pk]),
            reverse("qms:announcement_scan", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        return [
            (
                "post",
                reverse("qms:announcement_scan_upload", args=[obj.pk]),
                {"signed_scan": scan()},
            ),
            ("post", reverse("qms:announcement_send", args=[obj.pk]), {}),
            ("post", reverse("qms:announcement_publish", args=[obj.pk]), {"published": "1"}),
            (
                "post",
                reverse("qms:announcement_sign", args=[obj.pk]),
                {"number": "1/QĐ", "date": "01/09/2025"},
            ),
            (
                "post",
                reverse("qms:announcement_correct", args=[obj.pk]),
                {"number": "2", "date": "01/09/2025", "signer_name": "X", "signer_title": "Y"},
            ),
            ("post", reverse("qms:announcement_discard", args=[obj.pk]), {}),
            ("get", reverse("qms:announcement_edit", args=[obj.pk]), {}),
        ]

    def create_request(self, world, agency):
        data = {"signer_name": "X", "signer_title": "GIÁM ĐỐC", "reason": "Mở rộng"}
        return ("post", at("qms:announcement_create", agency), data)

    def count(self):
        return Announcement.objects.count()


# --- the record -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_record_shows_the_scope_and_a_reannouncement_due_with_its_button(client, world):
    scoped(world, "1.001")
    announce(world)
    scoped(world, "1.002")
    client.force_login(world.an)
    page = body(client.get(reverse("qms:record")))
    assert 'data-testid="reannouncement-due"' in page and "1.002" in page
    assert reverse("qms:announcement_create") in page
    assert "25/QĐ-A" in page  # the latest announcement
    assert reverse("procedures:handled") in page
    client.force_login(world.dung)
    overseer = body(client.get(at("qms:record", world.A)))
    assert "1.002" in overseer and 'data-testid="prepare-reannouncement"' not in overseer
    assert reverse("qms:record_edit") not in overseer


@pytest.mark.django_db
def test_editing_the_record_saves_it_and_a_stale_edit_is_refused(client, world):
    client.force_login(world.an)
    form = client.get(reverse("qms:record_edit"))
    assert form.status_code == 200
    data = {
        "standard_version": "2015",
        "status": "building",
        "internal_activities": "Quản lý văn bản",
        "exclusions": "8.3 Thiết kế: không áp dụng",
        "consultant": "Công ty Tư vấn ISO Việt",
        "consultant_cost": "45000000",
        "version": "1",
    }
    response = client.post(reverse("qms:record_edit"), data)
    assert response.status_code == 302
    qms = QualitySystem.objects.get(agency=world.A)
    assert qms.status == QmsStatus.BUILDING and qms.consultant_cost == 45_000_000
    stale = client.post(reverse("qms:record_edit"), {**data, "consultant": "Khác"})
    assert stale.status_code == 200
    assert shows(stale, "Someone else changed this record meanwhile. Reload it and try again.")
    assert 'value="Khác"' in body(stale)  # what was typed is kept
    assert QualitySystem.objects.get(agency=world.A).consultant == "Công ty Tư vấn ISO Việt"


@pytest.mark.django_db
def test_staff_and_overseers_cannot_edit_the_record(client, world):
    for persona in ("binh", "dung"):
        client.force_login(world.persona(persona))
        assert client.get(at("qms:record_edit", world.A)).status_code == 404
    client.force_login(world.binh)
    assert client.get(reverse("qms:record")).status_code == 200


# --- the committee ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_committee_decision_with_people_and_a_free_name(client, world):
    client.force_login(world.an)
    assert shows(client.get(reverse("qms:committee")), "No steering committee decision yet.")
    data = members_post(
        [
            {"user": world.hai.pk, "position": "Giám đốc", "committee_role": "head"},
            {"user": world.an.pk, "committee_role": "secretary"},
            {"name": "Nguyễn Văn Tư vấn", "position": "Chuyên gia", "committee_role": "member"},
        ],
        extra=2,
        number="5",
        date="15/09/2025",
    )
    response = client.post(reverse("qms:committee"), data)
    assert response.status_code == 302, body(response)[:2000]
    decision = CommitteeDecision.objects.get(agency=world.A)
    names = sorted(decision.members.values_list("name", flat=True))
    assert names == ["Nguyễn Văn Tư vấn", "Trần Thị An", "Đặng Văn Hải"]
    page = body(client.get(reverse("qms:committee")))
    assert "05/QĐ-A" in page and "Nguyễn Văn Tư vấn" in page
    assert 'data-testid="committee-flags"' not in page


@pytest.mark.django_db
def test_committee_refusals_save_nothing(client, world):
    client.force_login(world.an)
    no_head = members_post(
        [{"user": world.binh.pk, "committee_role": "member"}], number="5/QĐ", date="15/09/2025"
    )
    response = client.post(reverse("qms:committee"), no_head)
    assert response.status_code == 200 and shows(response, "The committee needs a head.")
    foreign = members_post(
        [{"user": world.chi.pk, "committee_role": "head"}], number="5/QĐ", date="15/09/2025"
    )
    response = client.post(reverse("qms:committee"), foreign)
    assert response.status_code == 200 and shows(
        response,
        "Select a valid choice. %(value)s is not one of the available choices.",
        value=world.chi.pk,
    )
    future = members_post(
        [{"name": "X", "committee_role": "head"}],
        number="5/QĐ",
        date=(TODAY + datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
    )
    response = client.post(reverse("qms:committee"), future)
    assert response.status_code == 200 and "invalid-feedback" in body(response)
    assert (TODAY + datetime.timedelta(days=3)).strftime("%d/%m/%Y") in body(response)
    no_role = members_post([{"name": "X"}], number="5/QĐ", date="15/09/2025")
    response = client.post(reverse("qms:committee"), no_role)
    assert shows(response, "Choose the role in the committee.")
    assert 'value="5/QĐ"' in body(response)
    assert not CommitteeDecision.objects.exists()


@pytest.mark.django_db
def test_the_committee_page_flags_a_member_who_left(client, world):
    services.committee_decision_create(
        actor=world.an,
        agency=world.A,
        number="5",
        date=DAY,
        members=[
            {"user": world.hai, "committee_role": "head"},
            {"user": world.binh, "committee_role": "member"},
        ],
    )
    world.binh.memberships.update(is_active=False)
    client.force_login(world.an)
    response = client.get(reverse("qms:committee"))
    assert 'data-testid="committee-flags"' in body(response)
    assert shows(response, "%(name)s no longer works in the agency.", name="Lê Văn Bình")


# --- announcements ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_life_of_an_announcement_through_the_pages(client, world):
    with on(DAY + datetime.timedelta(days=5)):  # 20/09/2025
        scoped(world, "1.001", "1.002")
        client.force_login(world.an)
        form = client.get(reverse("qms:announcement_create"))
        assert 'value="Đặng Văn Hải"' in body(form) or world.A.head_name in body(form)
        assert 'name="reason"' not in body(form)  # a first announcement
        response = client.post(
            reverse("qms:announcement_create"),
            {"signer_name": "Đặng Văn Hải", "signer_title": "GIÁM ĐỐC"},
        )
        draft = Announcement.objects.get(agency=world.A)
        assert response.url == reverse("qms:announcement_detail", args=[draft.pk])
        page = body(client.get(response.url))
        assert "1.001" in page and "Thủ tục 1.001" in page
        sign = reverse("qms:announcement_sign", args=[draft.pk])
        response = client.post(sign, {"number": "25", "date": DAY.strftime("%d/%m/%Y")})
        assert response.status_code == 302
        assert Announcement.objects.get(pk=draft.pk).number == "25/QĐ-A"
        send = reverse("qms:announcement_send", args=[draft.pk])
        refused = client.post(send, follow=True)
        assert shows(refused, "Attach the signed scan before sending.")
        assert Announcement.objects.get(pk=draft.pk).status == AnnouncementStatus.SIGNED
        upload = reverse("qms:announcement_scan_upload", args=[draft.pk])
        assert client.post(upload, {"signed_scan": scan()}).status_code == 302
        assert client.post(send).status_code == 302
        assert client.post(reverse("qms:announcement_publish", args=[draft.pk]), {"published": "1"})
        receive = reverse("qms:announcement_receive", args=[draft.pk])
        assert client.post(receive, {"on": "20/09/2025"}).status_code == 404  # not the overseer
        client.force_login(world.dung)
        page = body(client.get(reverse("qms:announcement_detail", args=[draft.pk])))
        assert 'data-testid="receive"' in page and 'data-testid="send"' not in page
        assert 'data-testid="return"' in page
        assert client.post(receive, {"on": "20/09/2025"}).status_code == 302
        done = Announcement.objects.get(pk=draft.pk)
        assert done.status == AnnouncementStatus.RECEIVED and done.received_on == DAY.replace(
            day=20
        )
        assert done.is_published and done.received_by == world.dung


@pytest.mark.django_db
def test_a_reannouncement_prefills_its_reasons_and_needs_one(client, world):
    scoped(world, "1.001")
    announce(world)
    client.force_login(world.an)
    nothing_changed = client.post(
        reverse("qms:announcement_create"),
        {"signer_name": "Đặng Văn Hải", "signer_title": "GIÁM ĐỐC", "reason": ""},
    )
    assert nothing_changed.status_code == 200
    assert shows(
        nothing_changed,
        "Say why the QMS is announced again (scope change, merger, new version…).",
    )
    assert Announcement.objects.filter(agency=world.A).count() == 1
    scoped(world, "1.002")
    form = client.get(reverse("qms:announcement_create"))
    assert 'name="reason"' in body(form)
    assert shows(form, "Procedures added to the scope: %(codes)s.", codes="1.002")


@pytest.mark.django_db
def test_signing_refusals_save_nothing(client, world):
    scoped(world, "1.001")
    draft = services.announcement_create(
        actor=world.an, agency=world.A, signer_name="Đặng Văn Hải", signer_title="GIÁM ĐỐC"
    )
    sign = reverse("qms:announcement_sign", args=[draft.pk])
    client.force_login(world.an)
    future = (TODAY + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(sign, {"number": "25/QĐ", "date": future})
    assert shows(
        response,
        "The decision cannot be signed on %(date)s: that day has not come yet (today is "
        "%(today)s).",
        date=future,
        today=TODAY.strftime("%d/%m/%Y"),
    )
    assert 'value="25/QĐ"' in body(response)
    malformed = client.post(sign, {"number": "25-QĐ-A", "date": "15/09/2025"})
    assert shows(
        malformed,
        "“%(value)s” is not a decision number: type the number only (e.g. 45) or in full, as "
        "%(example)s.",
        value="25-QĐ-A",
        example="45/QĐ-A",
    )
    not_pdf = SimpleUploadedFile("qd.pdf", b"not a pdf at all")
    response = client.post(sign, {"number": "25/QĐ", "date": "15/09/2025", "signed_scan": not_pdf})
    assert response.status_code == 200 and 'data-testid="sign"' in body(response)
    assert "invalid-feedback" in body(response)
    client.force_login(world.binh)  # staff
    response = client.post(sign, {"number": "25/QĐ", "date": "15/09/2025"})
    assert response.status_code == 200
    assert shows(response, "Only the ISO secretary or the head keep this agency's QMS record.")
    client.force_login(world.dung)  # the overseer reads but does not sign
    assert client.post(sign, {"number": "25/QĐ", "date": "15/09/2025"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.DRAFT and draft.number == ""


@pytest.mark.django_db
def test_the_announcement_list_query_count_does_not_grow(client, world, django_assert_num_queries):
    signed(world, world.A, number="1")
    client.force_login(world.an)
    client.get(reverse("qms:announcements"))  # warm the session and scope caches
    with django_assert_num_queries(QUERIES["announcements"]) as one:
        assert client.get(reverse("qms:announcements")).status_code == 200
    Announcement.objects.bulk_create(
        [
            Announcement(
                agency=world.A,
                kind="first",
                number=f"{n}/QĐ-CU",
                date=DAY,
                signer_name="X",
                signer_title="Y",
                standard_version="2008",
                status="signed",
                imported=True,
                scope_snapshot={"procedures": ["1.1"]},
            )
            for n in range(20)
        ]
    )
    with django_assert_num_queries(len(one.captured_queries)):
        page = body(client.get(reverse("qms:announcements")))
    assert "19/QĐ-CU" in page


@pytest.mark.django_db
def test_the_committee_page_query_count_does_not_grow(client, world, django_assert_num_queries):
    committee(world, world.A, number="100/QĐ")
    client.force_login(world.an)
    client.get(reverse("qms:committee"))
    with django_assert_num_queries(QUERIES["committee"]) as one:
        assert client.get(reverse("qms:committee")).status_code == 200
    for n in range(20):
        committee(world, world.A, number=f"{n + 1}")
    with django_assert_num_queries(len(one.captured_queries)):
        page = body(client.get(reverse("qms:committee")))
    assert "20/QĐ-A" in page


@pytest.mark.django_db
def test_the_draft_downloads_in_the_official_layout(client, world):
    scoped(world, "1.001612.000.00.00.H01", "2.000635")
    services.qms_update(
        actor=world.an, agency=world.A, data={"internal_activities": "Quản lý văn bản"}
    )
    draft = services.announcement_create(
        actor=world.an, agency=world.A, signer_name="Đặng Văn Hải", signer_title="GIÁM ĐỐC"
    )
    client.force_login(world.an)
    docx = client.get(reverse("qms:announcement_docx", args=[draft.pk]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    response = client.get(reverse("qms:announcement_pdf", args=[draft.pk]))  # the one render
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "du-thao-quyet-dinh-cong-bo.pdf" in response["Content-Disposition"]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "SỞ TƯ PHÁP" in flat
    assert "công bố Hệ thống quản lý chất lượng" in flat and "DỰ THẢO" in flat
    assert "1.001612.000.00.00.H01" in flat and "2.000635" in flat
    assert "Quản lý văn bản" in flat and "Sở Khoa học và Công nghệ" in flat
    assert "Căn cứ Quyết định số 19/2014/QĐ-TTg" in flat
