"""The QMS API: the record (GET/PATCH with its version), announcements (create, sign, scan,
send, receive, publish, DOCX/PDF) and the steering committee — isolation, refusals that save
nothing, pinned query counts, one PDF read back."""

import datetime
import shutil
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.qms import services
from eiso.qms.choices import AnnouncementStatus, QmsStatus
from eiso.qms.models import Announcement, CommitteeDecision, QualitySystem
from eiso.qms.tests.test_qms import DAY, announce, on, scan, scoped

pytestmark = pytest.mark.usefixtures("media_in_tmp")

TODAY = timezone.localdate()
KEEPER = {"A": "an", "B": "quan", "C": "quan"}


def url(name: str, *args, agency=None) -> str:
    path = reverse(f"api:{name}", args=args)
    return f"{path}?agency={agency.pk}" if agency is not None else path


def keeper(world, agency):
    return world.persona(KEEPER[agency.code])


def unique_number(agency) -> str:
    return f"{1000 + uuid.uuid4().int % 9000}/QĐ-{agency.code}"


def signed(world, agency, number=None, send=False):
    code = f"{agency.code}.{uuid.uuid4().hex[:6]}"
    scoped(world, code, agency=None if agency.code == "A" else agency)
    done = announce(world, agency=agency, number=number or "25", actor=keeper(world, agency))
    if send:
        done = services.announcement_send(actor=keeper(world, agency), announcement=done)
    return done


# --- isolation -------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestQmsApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        marker = f"Hoạt động {uuid.uuid4().hex[:8]}"
        services.qms_update(actor=world.quan, agency=agency, data={"internal_activities": marker})
        return QualitySystem.objects.get(agency=agency)

    def list_url(self):
        return url("qms")

    def marker(self, obj):
        return obj.internal_activities

    def read_urls(self, obj):
        return [url("qms", agency=obj.agency)]

    def change_requests(self, obj):
        return [("patch", url("qms", agency=obj.agency), {"consultant": "Lạ"})]


@pytest.mark.django_db
class TestAnnouncementApiIsolation(IsolationContract):
    """Signed and sent announcements: the overseer reads (and may receive, tested apart) but
    cannot sign, send, publish or attach."""

    api = True

    def make(self, world, agency):
        return signed(world, agency, number=unique_number(agency))

    def list_url(self):
        return url("announcement-list")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [url("announcement-detail", obj.pk), url("announcement-docx", obj.pk)]

    def change_requests(self, obj):
        return [
            ("post", url("announcement-send", obj.pk), {}),
            ("post", url("announcement-publish", obj.pk), {"published": True}),
            ("post", url("announcement-sign", obj.pk), {"number": "1/QĐ", "date": "2025-09-01"}),
            ("post", url("announcement-correct", obj.pk), {"number": "2"}),
            ("post", url("announcement-discard", obj.pk), {}),
            ("patch", url("announcement-detail", obj.pk), {"signer_name": "X"}),
        ]

    def create_request(self, world, agency):
        data = {"agency": agency.pk, "signer_name": "X", "signer_title": "Y", "reason": "Z"}
        return ("post", url("announcement-list"), data)

    def count(self):
        return Announcement.objects.count()


@pytest.mark.django_db
class TestCommitteeApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return services.committee_decision_create(
            actor=keeper(world, agency),
            agency=agency,
            number=unique_number(agency),
            date=DAY,
            members=[{"name": "Trưởng ban", "committee_role": "head"}],
        )

    def list_url(self):
        return url("committee-decision-list")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [url("committee-decision-list", agency=obj.agency)]

    def change_requests(self, obj):
        data = {
            "number": "9/QĐ",
            "date": "2025-09-01",
            "members": [{"name": "X", "committee_role": "head"}],
        }
        return [("post", url("committee-decision-list", agency=obj.agency), data)]

    def create_request(self, world, agency):
        data = {
            "agency": agency.pk,
            "number": "9/QĐ",
            "date": "2025-09-01",
            "members": [{"name": "X", "committee_role": "head"}],
        }
        return ("post", url("committee-decision-list"), data)

    def count(self):
        return CommitteeDecision.objects.count()


# --- the record -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_record_reads_its_scope_and_reasons_and_a_stale_patch_is_409(world, as_token):
    scoped(world, "1.001")
    announce(world)
    scoped(world, "1.002")
    an = as_token(world.an)
    body = an.get(url("qms")).json()
    assert body["agency"]["code"] == "A" and body["handled_procedures"] == 2
    assert body["record"]["status"] == "announced" and len(body["reannouncement_reasons"]) == 1
    assert body["latest_announcement"]["number"] == "25/QĐ-A"
    assert body["committee"]["needs_update"] is True
    version = body["record"]["version"]
    response = an.patch(
        url("qms"), {"consultant": "Công ty ISO", "version": version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["record"]["consultant"] == "Công ty ISO"
    stale = an.patch(url("qms"), {"consultant": "Khác", "version": version}, format="json")
    assert_error_shape(stale, 409, "concurrent_edit")
    assert QualitySystem.objects.get(agency=world.A).consultant == "Công ty ISO"
    dung = as_token(world.dung)
    assert dung.get(url("qms", agency=world.A)).json()["handled_procedures"] == 2
    assert_error_shape(dung.patch(url("qms", agency=world.A), {"consultant": "x"}), 404)
    assert_error_shape(as_token(world.binh).patch(url("qms"), {"consultant": "x"}), 403)


@pytest.mark.django_db
def test_a_foreign_quality_policy_is_refused(world, as_token):
    from eiso.documents.tests.factories import make_draft

    document, _ = make_draft(world, world.B, "CS-01", kind="quality_policy")
    response = as_token(world.an).patch(url("qms"), {"quality_policy": document.pk})
    assert "quality_policy" in assert_error_shape(response, 400)["fields"]


# --- announcements ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_life_of_an_announcement_through_the_api(world, as_token):
    scoped(world, "1.001", "1.002")
    an = as_token(world.an)
    created = an.post(url("announcement-list"), {}, format="json")
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert draft["kind"] == "first" and draft["procedure_codes"] == ["1.001", "1.002"]
    assert draft["signer_name"] == world.A.head_name
    pk = draft["id"]
    assert_error_shape(
        an.post(url("announcement-send", pk), {}), 409, "invalid_transition"
    )  # a draft
    response = an.post(
        url("announcement-sign", pk),
        {"number": "25", "date": "2025-09-15", "signed_scan": scan()},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "signed"
    assert response.json()["signed_file_name"] == "qd-cong-bo.pdf"
    assert response.json()["number"] == "25/QĐ-A"
    with on(DAY + datetime.timedelta(days=1)):
        assert an.post(url("announcement-send", pk)).json()["status"] == "sent"
    assert_error_shape(an.post(url("announcement-receive", pk), {}), 403, "not_permitted")
    received = as_token(world.dung).post(
        url("announcement-receive", pk), {"on": "2025-09-20"}, format="json"
    )
    assert received.status_code == 200 and received.json()["received_on"] == "2025-09-20"
    published = an.post(url("announcement-publish", pk), {"published": True}, format="json")
    assert published.json()["is_published"] is True
    assert QualitySystem.objects.get(agency=world.A).status == QmsStatus.ANNOUNCED


@pytest.mark.django_db
def test_announcement_refusals_save_nothing(world, as_token):
    scoped(world, "1.001")
    announce(world)
    an = as_token(world.an)
    nothing_changed = an.post(url("announcement-list"), {"reason": ""}, format="json")
    assert "reason" in assert_error_shape(nothing_changed, 400, "validation_failed")["fields"]
    assert Announcement.objects.count() == 1
    scoped(world, "1.002")
    draft = an.post(url("announcement-list"), {}, format="json").json()
    assert draft["kind"] == "re" and "1.002" in draft["reason"]
    sign = url("announcement-sign", draft["id"])
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    assert (
        "date"
        in assert_error_shape(
            an.post(sign, {"number": "40/QĐ", "date": future}, format="json"), 400
        )["fields"]
    )
    not_pdf = SimpleUploadedFile("qd.pdf", b"not a pdf")
    assert_error_shape(
        an.post(sign, {"number": "40/QĐ", "date": "2025-10-01", "signed_scan": not_pdf}), 400
    )
    assert_error_shape(
        as_token(world.binh).post(sign, {"number": "40/QĐ", "date": "2025-10-01"}, format="json"),
        403,
        "not_permitted",
    )
    assert_error_shape(
        as_token(world.dung).post(sign, {"number": "40/QĐ", "date": "2025-10-01"}, format="json"),
        404,
    )
    still = Announcement.objects.get(pk=draft["id"])
    assert still.status == AnnouncementStatus.DRAFT and still.number == ""
    unsent = signed(world, world.B)  # signed with its scan; then the scan is gone
    Announcement.objects.filter(pk=unsent.pk).update(signed_file="")
    response = as_token(world.quan).post(url("announcement-send", unsent.pk))
    assert "signed_scan" in assert_error_shape(response, 400)["fields"]
    assert Announcement.objects.get(pk=unsent.pk).status == AnnouncementStatus.SIGNED


@pytest.mark.django_db
def test_a_signed_announcement_downloads_as_a_pdf_with_its_scope(world, as_token):
    scoped(world, "1.001612.000.00.00.H01", "2.000635")
    done = announce(world, number="25")
    client = as_token(world.binh)
    docx = client.get(url("announcement-docx", done.pk))
    assert (
        docx.status_code == 200 and "quyet-dinh-cong-bo-25-qd-a.docx" in docx["Content-Disposition"]
    )
    response = client.get(url("announcement-pdf", done.pk))  # the one render
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert_error_shape(as_token(world.chi).get(url("announcement-pdf", done.pk)), 404)
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
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Số: 25/QĐ-A" in flat
    assert "công bố Hệ thống quản lý chất lượng" in flat and "DỰ THẢO" not in flat
    assert "1.001612.000.00.00.H01" in flat and "2.000635" in flat


# --- the committee -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_committee_decision_resolves_people_in_the_agency_only(world, as_token):
    an = as_token(world.an)
    data = {
        "number": "5",
        "date": "2025-09-15",
        "members": [
            {"user": world.hai.pk, "position": "Giám đốc", "committee_role": "head"},
            {"name": "Chuyên gia tư vấn", "committee_role": "member"},
        ],
    }
    response = an.post(url("committee-decision-list"), data, format="json")
    assert response.status_code == 201, response.json()
    assert [m["name"] for m in response.json()["members"]] == ["Đặng Văn Hải", "Chuyên gia tư vấn"]
    foreign = {
        **data,
        "number": "6/QĐ",
        "members": [{"user": world.chi.pk, "committee_role": "head"}],
    }
    assert (
        "members"
        in assert_error_shape(an.post(url("committee-decision-list"), foreign, format="json"), 400)[
            "fields"
        ]
    )
    no_head = {**data, "number": "7/QĐ", "members": [{"name": "X", "committee_role": "member"}]}
    assert_error_shape(an.post(url("committee-decision-list"), no_head, format="json"), 400)
    assert CommitteeDecision.objects.count() == 1


# --- query counts ------------------------------------------------------------------------------------


def _pinned(client, django_assert_num_queries, path, queries, grow):
    with django_assert_num_queries(queries):
        first = client.get(path)
    assert first.status_code == 200, first.content[:300]
    grow()
    with django_assert_num_queries(queries):
        second = client.get(path)
    assert second.json()["count"] == first.json()["count"] + 20


@pytest.mark.django_db
def test_the_announcement_list_does_not_grow_with_its_rows(
    world, as_token, django_assert_num_queries
):
    signed(world, world.A, number="1")

    def grow():
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
                    received_by=world.dung,
                    scope_snapshot={"procedures": ["1.1"]},
                )
                for n in range(20)
            ]
        )

    _pinned(as_token(world.an), django_assert_num_queries, url("announcement-list"), 4, grow)


@pytest.mark.django_db
def test_the_committee_list_does_not_grow_with_its_rows(world, as_token, django_assert_num_queries):
    def decide(n):
        services.committee_decision_create(
            actor=world.an,
            agency=world.A,
            number=f"{n + 1}",
            date=DAY,
            members=[
                {"user": world.hai, "committee_role": "head"},
                {"name": f"Thành viên {n}", "committee_role": "member"},
            ],
        )

    decide(0)
    _pinned(
        as_token(world.an),
        django_assert_num_queries,
        url("committee-decision-list"),
        6,  # token, role, count, rows with their agency, their members
        lambda: [decide(n) for n in range(1, 21)],
    )


# --- issue 7: return for correction, drafts, numbers, filters ----------------------------------


@pytest.mark.django_db
def test_the_overseer_returns_it_through_the_api_and_the_agency_corrects_and_resends(
    world, as_token
):
    with on(DAY):
        done = signed(world, world.A, number="25")
    with on(DAY + datetime.timedelta(days=1)):
        services.announcement_send(actor=world.an, announcement=done)
    an, dung = as_token(world.an), as_token(world.dung)
    back = url("announcement-return", done.pk)
    assert "reason" in assert_error_shape(dung.post(back, {}, format="json"), 400)["fields"]
    assert_error_shape(an.post(back, {"reason": "x"}, format="json"), 403, "not_permitted")
    assert_error_shape(as_token(world.em).post(back, {"reason": "x"}, format="json"), 404)
    with on(DAY + datetime.timedelta(days=2)):
        returned = dung.post(back, {"reason": "Sai số quyết định"}, format="json")
    assert returned.status_code == 200, returned.json()
    body = returned.json()
    assert body["status"] == "returned" and body["return_reason"] == "Sai số quyết định"
    assert [step["action"] for step in body["history"]][-1] == "return"
    mine = an.get(url("announcement-detail", done.pk)).json()
    assert "correct" in mine["actions"] and "send" in mine["actions"]
    corrected = an.post(url("announcement-correct", done.pk), {"number": "26"}, format="json")
    assert corrected.json()["number"] == "26/QĐ-A"
    with on(DAY + datetime.timedelta(days=3)):
        assert an.post(url("announcement-send", done.pk)).json()["status"] == "sent"
    listed = dung.get(url("announcement-list"), {"status": "sent"}).json()["results"]
    assert [row["number"] for row in listed] == ["26/QĐ-A"]


@pytest.mark.django_db
def test_a_draft_is_edited_and_discarded_through_the_api(world, as_token):
    scoped(world, "1.001")
    an = as_token(world.an)
    draft = an.post(url("announcement-list"), {}, format="json").json()
    assert draft["actions"] and "discard" in draft["actions"]
    assert draft["subject"].startswith("Về việc công bố Hệ thống quản lý chất lượng")
    edited = an.patch(
        url("announcement-detail", draft["id"]), {"signer_name": "Lê Thị Phó"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["signer_name"] == "Lê Thị Phó"
    gone = an.post(url("announcement-discard", draft["id"]), {"reason": "Lập lại"}, format="json")
    assert gone.json()["status"] == "discarded"
    assert an.get(url("announcement-list")).json()["count"] == 0
    assert an.get(url("announcement-list"), {"status": "discarded"}).json()["count"] == 1
    assert_error_shape(
        an.post(url("announcement-discard", draft["id"]), {}, format="json"),
        409,
        "invalid_transition",
    )


@pytest.mark.django_db
def test_a_malformed_number_and_a_future_committee_date_are_refused(world, as_token):
    scoped(world, "1.001")
    an = as_token(world.an)
    draft = an.post(url("announcement-list"), {}, format="json").json()
    bad = an.post(
        url("announcement-sign", draft["id"]), {"number": "45/CV-A", "date": "2025-09-15"}
    )
    assert "number" in assert_error_shape(bad, 400, "validation_failed")["fields"]
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    data = {"number": "5", "date": tomorrow, "members": [{"name": "X", "committee_role": "head"}]}
    refused = an.post(url("committee-decision-list"), data, format="json")
    assert "date" in assert_error_shape(refused, 400)["fields"]
    made = an.post(
        url("committee-decision-list"), {**data, "date": TODAY.isoformat()}, format="json"
    )
    assert made.status_code == 201 and made.json()["number"] == "05/QĐ-A"


@pytest.mark.django_db
def test_the_overseer_lists_by_agency_and_number(world, as_token, django_assert_num_queries):
    a25 = signed(world, world.A, number="25")
    b25 = signed(world, world.B, number="25")
    b7 = signed(world, world.B, number="7")
    dung = as_token(world.dung)
    by_agency = dung.get(url("announcement-list"), {"agency": world.B.pk}).json()
    assert {row["id"] for row in by_agency["results"]} == {b25.pk, b7.pk}
    by_number = dung.get(url("announcement-list"), {"q": "25"}).json()
    assert {row["id"] for row in by_number["results"]} == {a25.pk, b25.pk}
    exact = dung.get(url("announcement-list"), {"q": "25/QĐ-B"}).json()
    assert [row["id"] for row in exact["results"]] == [b25.pk]
    ordered = dung.get(url("announcement-list"), {"ordering": "number"}).json()["results"]
    assert [row["number"] for row in ordered][:1] == ["07/QĐ-B"]
    assert_error_shape(dung.get(url("announcement-list"), {"ordering": "secret"}), 400)
    with django_assert_num_queries(4):  # token, roles, count, rows
        dung.get(url("announcement-list"), {"q": "25"})
