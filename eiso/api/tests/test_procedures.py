"""The TTHC API: the catalogue (read by everyone, kept by overseers and admins), handled
procedures and coverage, the step table of an ISO procedure, the import; isolation, refusals
(the one error shape, nothing saved) and pinned query counts."""

import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract
from eiso.documents import services as documents
from eiso.documents.tests.factories import make_draft
from eiso.organizations.tests.factories import AgencyFactory
from eiso.procedures import services
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure, IsoProcedure
from eiso.procedures.tests.factories import (
    STEPS,
    handled,
    iso_procedure,
    newest_revision,
    procedure,
)

pytestmark = pytest.mark.usefixtures("media_in_tmp")


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def codes(response, key="code") -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [row[key] for row in response.json()["results"]]


# --- isolation ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestHandledProcedureApiIsolation(IsolationContract):
    """Rows of an agency's scope; its overseers manage them too (``can_manage_scope``)."""

    api = True
    overseer_may_change = True

    def make(self, world, agency):
        tthc = procedure(world, f"1.{uuid.uuid4().hex[:8]}.{agency.code}")
        handled(world, agency, tthc)
        return HandledProcedure.objects.get(agency=agency, procedure=tthc)

    def list_url(self):
        return url("handled-procedure-list")

    def marker(self, obj):
        return obj.procedure.code

    def read_urls(self, obj):
        return [url("handled-procedure-detail", obj.pk)]

    def change_requests(self, obj):
        return [("delete", url("handled-procedure-detail", obj.pk), {})]

    def create_request(self, world, agency):
        tthc = procedure(world)
        return (
            "post",
            url("handled-procedure-list"),
            {"agency": agency.pk, "procedures": [tthc.pk]},
        )

    def count(self):
        return HandledProcedure.objects.filter(is_active=True).count()


@pytest.mark.django_db
class TestDocumentStepsApiIsolation(IsolationContract):
    """The step table and the link of an ISO procedure: read where the document is read,
    changed by its agency's ISO secretary or head only."""

    api = True

    def make(self, world, agency):
        tthc = procedure(world)
        handled(world, agency, tthc)
        document = iso_procedure(world, agency, tthc, code=f"QT-TTHC-{agency.code}", steps=STEPS)
        document.tthc = tthc
        return document

    def list_url(self):
        return url("handled-procedure-list")  # each row names its ISO procedure

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [url("document-steps", obj.pk)]

    def change_requests(self, obj):
        steps = {"steps": [{"name": "x", "responsible": "y", "time_days": "1"}]}
        return [
            ("put", url("document-steps", obj.pk), steps),
            ("put", url("document-procedure", obj.pk), {"procedure": obj.tthc.pk}),
            ("delete", url("document-procedure", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        tthc = procedure(world)
        handled(world, agency, tthc)
        document, _ = make_draft(world, agency, "QT-CHUA-LIEN-KET", with_file=False)
        return ("put", url("document-procedure", document.pk), {"procedure": tthc.pk})

    def count(self):
        return IsoProcedure.objects.count()


@pytest.mark.django_db
class TestCoverageApiIsolation(IsolationContract):
    """The roll-up lists the agencies the viewer may see; one agency's coverage is 404
    outside. ``dung`` (province P) sees A's sub-agencies, not C's; ``em`` (Q) gets 404."""

    api = True
    viewer = "dung"
    foreign = "C"
    outsider = "em"

    def make(self, world, agency):
        child = AgencyFactory(parent=agency, code=f"T-{uuid.uuid4().hex[:8]}")
        handled(world, child, procedure(world))
        return child

    def list_url(self):
        return url("coverage-list")

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [url("coverage-detail", obj.pk)]


# --- the catalogue ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_signed_in_reads_the_catalogue(world, as_token, api):
    tthc = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    handled(world, world.A, tthc)
    assert_error_shape(api.get(url("procedure-list")), 401)
    for persona in ("binh", "chi", "cuong"):
        client = as_token(world.persona(persona))
        assert codes(client.get(url("procedure-list"))) == ["2.000635"]
        body = client.get(url("procedure-detail", tthc.pk)).json()
        assert body["agency_count"] == 1 and body["level"] == "commune"
        assert body["time_limit_days"] == "10.00" and body["statutory_days"] == "10.00"
    assert_error_shape(as_token(world.binh).get(url("procedure-detail", 999999)), 404, "not_found")


@pytest.mark.django_db
def test_only_keepers_change_the_catalogue(world, as_token):
    tthc = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    for persona in ("an", "hai", "binh"):
        client = as_token(world.persona(persona))
        response = client.post(
            url("procedure-list"), {"code": "2.1", "name": "x", "level": "commune"}, format="json"
        )
        assert_error_shape(response, 403, "not_permitted")
        response = client.patch(url("procedure-detail", tthc.pk), {"name": "Đổi"}, format="json")
        assert_error_shape(response, 403, "not_permitted")
    assert AdministrativeProcedure.objects.count() == 1
    tthc.refresh_from_db()
    assert tthc.name == "Đăng ký khai sinh"


@pytest.mark.django_db
def test_a_keeper_adds_and_changes_an_entry_with_the_time_limit_as_published(world, as_token):
    client = as_token(world.dung)
    response = client.post(
        url("procedure-list"),
        {
            "code": " 1.001612.000.00.00.H01 ",
            "name": "Cấp Phiếu lý lịch tư pháp",
            "field": "Lý lịch tư pháp",
            "level": "provincial",
            "time_limit": "10 ngày làm việc",
            "fee": "200.000 đồng",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "1.001612.000.00.00.H01" and body["time_limit_days"] == "10.00"
    assert body["time_limit_text"] == "10 ngày làm việc" and body["is_active"] is True
    response = client.patch(
        url("procedure-detail", body["id"]),
        {"time_limit": "Trong ngày", "code": "khác"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == "1.001612.000.00.00.H01"  # the code never changes
    assert body["within_the_day"] is True and body["statutory_days"] == "0.00"
    assert body["name"] == "Cấp Phiếu lý lịch tư pháp"  # a PATCH leaves the rest
    assert AuditEvent.objects.filter(action="procedure.update").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"code": "2.000635", "level": "commune"}, "code", "validation_failed"),  # duplicate
        ({"code": "2.1", "level": "central"}, "level", "validation_failed"),
        ({"code": "2.1", "level": "commune", "time_limit": "ba ngày"}, "time_limit", None),
        ({"code": "2.1", "level": "commune", "name": ""}, "name", None),
    ],
)
def test_bad_catalogue_input_is_refused_and_nothing_is_saved(world, as_token, data, field, code):
    procedure(world, "2.000635", level="commune")
    payload = {"name": "Tên", **data}
    response = as_token(world.dung).post(url("procedure-list"), payload, format="json")
    error = assert_error_shape(response, 400, code)
    assert error["fields"][field], error
    assert AdministrativeProcedure.objects.count() == 1


@pytest.mark.django_db
def test_the_catalogue_filters_and_sorts(world, as_token):
    procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune", field="Hộ tịch")
    procedure(world, "2.000488", name="Chứng thực bản sao", level="commune", field="Chứng thực")
    procedure(world, "1.000002", name="Đã bãi bỏ", level="district", is_active=False)
    client = as_token(world.binh)
    assert codes(client.get(url("procedure-list"), {"q": "dang ky khai sinh"})) == ["2.000635"]
    assert codes(client.get(url("procedure-list"), {"field": "Chứng thực"})) == ["2.000488"]
    assert codes(client.get(url("procedure-list"), {"status": "abolished"})) == ["1.000002"]
    response = client.get(url("procedure-list"), {"level": "commune", "ordering": "-code"})
    assert codes(response) == ["2.000635", "2.000488"]
    assert_error_shape(client.get(url("procedure-list"), {"level": "central"}), 400)


@pytest.mark.django_db
def test_catalogue_list_query_count_does_not_grow_with_rows(
    world, as_token, django_assert_num_queries
):
    handled(world, world.A, procedure(world, "2.000001"))
    client = as_token(world.an)
    with django_assert_num_queries(3):  # token + user, count, page
        response = client.get(url("procedure-list"))
    assert response.json()["count"] == 1
    for n in range(20):
        handled(world, world.B, procedure(world, f"2.1{n:05d}"))
    with django_assert_num_queries(3):
        response = client.get(url("procedure-list"))
    assert response.json()["count"] == 21


# --- handled procedures -------------------------------------------------------------------------


@pytest.fixture
def scope(world):
    """A handles three procedures: one covered by an issued ISO procedure (whose steps add up
    to 9 of its 10 days), one with a draft ISO procedure, one with none."""
    covered = procedure(world, "1.000100", name="Cấp Phiếu lý lịch tư pháp")
    drafted = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    bare = procedure(world, "2.000488", name="Chứng thực bản sao", level="commune")
    handled(world, world.A, covered, drafted, bare)
    iso_procedure(world, world.A, covered, code="QT-LLTP", issued=True, steps=STEPS)
    iso_procedure(world, world.A, drafted, code="QT-KS")
    return covered, drafted, bare


@pytest.mark.django_db
def test_the_handled_list_says_what_is_covered(world, as_token, scope):
    client = as_token(world.an)
    rows = {
        row["procedure"]["code"]: row
        for row in client.get(url("handled-procedure-list")).json()["results"]
    }
    assert (
        rows["1.000100"]["covered"] is True and rows["1.000100"]["iso_document_code"] == "QT-LLTP"
    )
    assert rows["2.000635"]["covered"] is False and rows["2.000635"]["iso_document"] is not None
    assert rows["2.000488"]["covered"] is False and rows["2.000488"]["iso_document"] is None
    gaps = client.get(url("handled-procedure-list"), {"coverage": "gap"})
    assert [row["procedure"]["code"] for row in gaps.json()["results"]] == ["2.000488", "2.000635"]
    one = client.get(url("handled-procedure-detail", rows["1.000100"]["id"])).json()
    assert one["covered"] is True and one["agency"] == world.A.pk
    overseen = as_token(world.dung).get(url("handled-procedure-list"), {"agency": world.A.pk})
    assert len(overseen.json()["results"]) == 3
    assert_error_shape(client.get(url("handled-procedure-list"), {"agency": world.B.pk}), 400)


@pytest.mark.django_db
def test_assigning_and_removing_in_bulk(world, as_token):
    commune = [procedure(world, f"2.00{n}", level="commune") for n in range(3)]
    client = as_token(world.hai)
    response = client.post(
        url("handled-procedure-list"),
        {"procedures": [p.pk for p in commune], "since": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"agency": world.A.pk, "added": 3}
    assert HandledProcedure.objects.get(procedure=commune[0]).since.isoformat() == "2026-01-01"
    response = client.post(
        url("handled-procedure-remove"),
        {"procedures": [commune[0].pk], "reason": "Chuyển về xã"},
        format="json",
    )
    assert response.json() == {"agency": world.A.pk, "removed": 1}
    assert HandledProcedure.objects.filter(agency=world.A, is_active=True).count() == 2
    assert AuditEvent.objects.get(action="scope.remove_procedures").reason == "Chuyển về xã"
    row = HandledProcedure.objects.get(procedure=commune[1])
    # The overseer reads the agency's procedures but does not change them (issue 8, item 8).
    assert as_token(world.dung).delete(url("handled-procedure-detail", row.pk)).status_code == 403
    assert as_token(world.quan).delete(url("handled-procedure-detail", row.pk)).status_code == 204
    assert HandledProcedure.objects.filter(agency=world.A, is_active=True).count() == 1


@pytest.mark.django_db
def test_bad_assignments_are_refused_and_nothing_is_saved(world, as_token):
    good = procedure(world, "2.000635", level="commune")
    gone = procedure(world, "2.000001", level="commune", is_active=False)
    client = as_token(world.an)
    list_url = url("handled-procedure-list")

    def post(client, data):
        return client.post(list_url, data, format="json")

    error = assert_error_shape(post(client, {"agency": world.B.pk, "procedures": [good.pk]}), 400)
    assert "agency" in error["fields"]  # another agency: like an id that does not exist
    error = assert_error_shape(post(client, {"procedures": [good.pk, gone.pk]}), 400)
    assert "2.000001" in error["message"]
    error = assert_error_shape(post(client, {"procedures": [good.pk, 999999]}), 400)
    assert "999999" in error["fields"]["procedures"][0]
    assert "procedures" in assert_error_shape(post(client, {"procedures": []}), 400)["fields"]
    assert_error_shape(post(as_token(world.binh), {"procedures": [good.pk]}), 403, "not_permitted")
    assert not HandledProcedure.objects.exists()


@pytest.mark.django_db
def test_handled_list_query_count_does_not_grow_with_rows(
    world, as_token, scope, django_assert_num_queries
):
    client = as_token(world.an)
    # token + user, memberships (the acting agency), memberships (scope), count, page
    with django_assert_num_queries(5):
        client.get(url("handled-procedure-list"))
    more = [procedure(world, f"2.2{n:05d}") for n in range(20)]
    handled(world, world.A, *more)
    for tthc in more[:5]:
        iso_procedure(world, world.A, tthc)
    with django_assert_num_queries(5):
        response = client.get(url("handled-procedure-list"))
    assert response.json()["count"] == 23


# --- coverage -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rollup_and_one_agencys_coverage(world, as_token, scope):
    handled(world, world.B, scope[2])
    client = as_token(world.dung)
    rows = {row["code"]: row for row in client.get(url("coverage-list")).json()["results"]}
    assert set(rows) == {"P", "A", "B"}
    assert (rows["A"]["handled"], rows["A"]["covered"], rows["A"]["gaps"]) == (3, 1, 2)
    assert rows["A"]["percent"] == 33 and rows["P"]["percent"] is None
    response = client.get(url("coverage-list"), {"root": world.A.pk})
    assert codes(response) == ["A"]
    response = client.get(url("coverage-list"), {"ordering": "-percent"})
    assert codes(response) == ["A", "B", "P"]
    assert codes(client.get(url("coverage-list"), {"tier": "provincial", "q": "so y te"})) == ["B"]
    assert_error_shape(client.get(url("coverage-list"), {"root": world.C.pk}), 400)
    assert client.get(url("coverage-detail", world.A.pk)).json() == {
        "agency": world.A.pk,
        "agency_code": "A",
        "handled": 3,
        "covered": 1,
        "gaps": 2,
        "percent": 33,
    }
    # an agency's own people see only their agency in the roll-up
    assert codes(as_token(world.an).get(url("coverage-list"))) == ["A"]


@pytest.mark.django_db
def test_rollup_query_count_does_not_grow_with_agencies(
    world, as_token, scope, django_assert_num_queries
):
    client = as_token(world.dung)
    # token + user, memberships (scope), count, page
    with django_assert_num_queries(4):
        client.get(url("coverage-list"))
    for agency in AgencyFactory.create_batch(20, parent=world.P):
        handled(world, agency, scope[2])
    with django_assert_num_queries(4):
        response = client.get(url("coverage-list"))
    assert response.json()["count"] == 23


# --- steps --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_step_table_is_checked_against_the_statutory_time(world, as_token, scope):
    document = IsoProcedure.objects.get(procedure=scope[0]).document
    body = as_token(world.binh).get(url("document-steps", document.pk)).json()
    assert body["procedure"]["code"] == "1.000100"
    assert [s["number"] for s in body["steps"]] == [1, 2, 3]
    assert (body["total_days"], body["statutory_days"], body["mismatch"]) == ("9.00", "10.00", True)
    assert body["in_preparation"] is None
    an = as_token(world.an)
    table = {
        "steps": [
            {"name": "Tiếp nhận", "responsible": "Một cửa", "time_days": "0.5"},
            {"name": "Giải quyết", "responsible": "Phòng", "time_days": "9.5"},
            {"name": "Trả kết quả", "responsible": "Một cửa", "forms_results": "Phiếu"},
        ]
    }
    # the issued table does not change in place
    response = an.put(url("document-steps", document.pk), table, format="json")
    assert_error_shape(response, 409, "invalid_transition")
    # a new revision starts from a copy of it, and its table is the one that changes
    response = an.post(url("document-new-revision", document.pk), {"change_summary": "Sửa"})
    assert response.status_code == 201, response.content
    response = an.put(url("document-steps", document.pk), table, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["total_days"], body["mismatch"]) == ("9.00", True)  # still the one in force
    draft = body["in_preparation"]
    assert draft["revision_number"] == 2 and draft["revision_status"] == "draft"
    assert (draft["total_days"], draft["mismatch"]) == ("10.00", False)
    assert draft["steps"][2] == {
        "number": 3,
        "name": "Trả kết quả",
        "responsible": "Một cửa",
        "time_days": None,
        "forms_results": "Phiếu",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "step",
    [
        {"name": "Thẩm định", "responsible": "", "time_days": "1"},
        {"name": "Thẩm định", "time_days": "1"},
        {"name": "Thẩm định", "responsible": "Phòng", "time_days": "-1"},
    ],
)
def test_bad_steps_are_refused_and_the_table_is_unchanged(world, as_token, scope, step):
    document = IsoProcedure.objects.get(procedure=scope[0]).document
    draft = documents.revision_start(actor=world.an, document=document, change_summary="Sửa")
    response = as_token(world.an).put(
        url("document-steps", document.pk),
        {"steps": [{"name": "Tiếp nhận", "responsible": "Một cửa"}, step]},
        format="json",
    )
    error = assert_error_shape(response, 400)
    assert error["fields"]["steps"], error
    assert list(draft.steps.values_list("name", flat=True)) == [s[0] for s in STEPS]


@pytest.mark.django_db
def test_only_drafters_change_steps_and_links(world, as_token, scope):
    document = IsoProcedure.objects.get(procedure=scope[0]).document
    client = as_token(world.binh)
    response = client.put(url("document-steps", document.pk), {"steps": []}, format="json")
    assert_error_shape(response, 403, "not_permitted")
    assert_error_shape(client.delete(url("document-procedure", document.pk)), 403)
    revision = newest_revision(document)
    assert revision.steps.count() == 3 and IsoProcedure.objects.filter(document=document).exists()


@pytest.mark.django_db
def test_linking_checks_the_kind_and_the_agencys_scope(world, as_token):
    tthc = procedure(world, "2.000635", level="commune")
    stranger = procedure(world, "2.000488", level="commune")
    handled(world, world.A, tthc)
    form, _ = make_draft(world, world.A, "BM-01", kind="form", with_file=False)
    document, _ = make_draft(world, world.A, "QT-KS", with_file=False)
    client = as_token(world.an)

    def link(doc, procedure_id):
        return client.put(
            url("document-procedure", doc.pk), {"procedure": procedure_id}, format="json"
        )

    error = assert_error_shape(link(form, tthc.pk), 400, "validation_failed")
    assert error["fields"]["document"]
    error = assert_error_shape(link(document, stranger.pk), 400, "validation_failed")
    assert "2.000488" in error["fields"]["procedure"][0]
    assert not IsoProcedure.objects.exists()
    response = link(document, tthc.pk)
    assert response.status_code == 200 and response.json()["procedure"]["code"] == "2.000635"
    assert client.delete(url("document-procedure", document.pk)).status_code == 204
    assert not IsoProcedure.objects.exists()
    assert_error_shape(client.delete(url("document-procedure", document.pk)), 404)


@pytest.mark.django_db
def test_step_table_query_count_does_not_grow_with_steps(
    world, as_token, scope, django_assert_num_queries
):
    document = IsoProcedure.objects.get(procedure=scope[1]).document
    client = as_token(world.an)
    services.steps_replace(
        actor=world.an,
        revision=newest_revision(document),
        steps=[{"name": "B", "responsible": "P"}],
    )
    # token + user, memberships (scope), document, its revisions, link, steps
    with django_assert_num_queries(6):
        client.get(url("document-steps", document.pk))
    services.steps_replace(
        actor=world.an,
        revision=newest_revision(document),
        steps=[{"name": f"B{n}", "responsible": "P", "time_days": "1"} for n in range(21)],
    )
    with django_assert_num_queries(6):
        response = client.get(url("document-steps", document.pk))
    assert len(response.json()["steps"]) == 21 and response.json()["total_days"] == "21.00"


# --- the import ---------------------------------------------------------------------------------

HEADER = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,Tình trạng\n"


def upload(text: str):
    return {"file": SimpleUploadedFile("tthc.csv", text.encode(), content_type="text/csv")}


@pytest.mark.django_db
def test_the_catalogue_imports_through_the_generic_endpoint(world, as_token):
    import_url = reverse("api:import", args=["procedures"])
    bad = HEADER + "2.000635,Đăng ký khai sinh,Hộ tịch,xã,Trong ngày,\n2.1,Lạ,,trung ương,x,\n"
    client = as_token(world.dung)
    response = client.post(import_url + "?dry_run=1", upload(bad), format="multipart")
    assert response.status_code == 200, response.content
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (3, "level"),
        (3, "time_limit"),
    ]
    error = assert_error_shape(
        client.post(import_url, upload(bad), format="multipart"), 400, "import_rejected"
    )
    assert len(error["rows"]) == 2 and not AdministrativeProcedure.objects.exists()
    good = HEADER + "2.000635,Đăng ký khai sinh,Hộ tịch,xã,Trong ngày,\n"
    response = client.post(import_url, upload(good), format="multipart")
    assert response.status_code == 201 and response.json() == {"imported": 1}
    assert AdministrativeProcedure.objects.get(code="2.000635").within_the_day
    response = as_token(world.an).post(import_url, upload(good), format="multipart")
    assert_error_shape(response, 403, "not_permitted")


@pytest.mark.django_db
def test_time_limits_round_trip(world, as_token):
    tthc = procedure(world, "2.000488", time_limit_days=Decimal("0.5"))
    body = as_token(world.an).get(url("procedure-detail", tthc.pk)).json()
    assert body["time_limit_days"] == "0.50" and body["within_the_day"] is False
