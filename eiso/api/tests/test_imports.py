import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from eiso.accounts.models import User
from eiso.api.tests.helpers import assert_error_shape
from eiso.core.models import AuditEvent
from eiso.organizations.models import Agency

AGENCIES_OK = (
    "code,name,kind,parent_code\n"
    "SO-KHCN,Sở Khoa học và Công nghệ,so_nganh,P\n"
    "CC-1,Chi cục Tiêu chuẩn Đo lường Chất lượng,so_nganh,SO-KHCN\n"
)
AGENCIES_BAD = (
    "code,name,kind,parent_code\n"
    "SO-KHCN,Sở Khoa học và Công nghệ,so_nganh,P\n"
    "A,Trùng mã,so_nganh,P\n"
    "X-2,Loại lạ,khong-co,P\n"
    "X-3,Cấp trên lạ,so_nganh,ZZ\n"
)


def url(kind, **query):
    base = reverse("api:import", args=[kind])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def upload(text: str, name: str = "file.csv"):
    return {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}


@pytest.mark.django_db
def test_a_dry_run_reports_every_bad_row_and_saves_nothing(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.quan).post(
        url("agencies", dry_run=1), upload(AGENCIES_BAD), format="multipart"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is False and body["rows"] == 4
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "code"),
        (4, "kind"),
        (5, "parent_code"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_a_clean_dry_run_says_ok_and_saves_nothing(world, as_token):
    response = as_token(world.quan).post(
        url("agencies", dry_run=1), upload(AGENCIES_OK), format="multipart"
    )
    assert response.json() == {"ok": True, "rows": 2, "errors": []}
    assert not Agency.objects.filter(code="SO-KHCN").exists()


@pytest.mark.django_db
def test_an_import_with_a_bad_row_is_rejected_whole(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.quan).post(url("agencies"), upload(AGENCIES_BAD), format="multipart")
    error = assert_error_shape(response, 400, "import_rejected")
    assert [(e["row"], e["column"]) for e in error["rows"]] == [
        (3, "code"),
        (4, "kind"),
        (5, "parent_code"),
    ]
    assert Agency.objects.count() == before
    assert not Agency.objects.filter(code="SO-KHCN").exists()  # the good row is not saved either


@pytest.mark.django_db
def test_a_good_import_saves_every_row_and_is_audited(world, as_token):
    response = as_token(world.quan).post(url("agencies"), upload(AGENCIES_OK), format="multipart")
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 2}
    child = Agency.objects.get(code="CC-1")
    assert child.parent.code == "SO-KHCN" and child.parent.parent_id == world.P.pk
    event = AuditEvent.objects.get(action="import.agencies")
    assert event.actor == world.quan and event.agency == world.P
    assert event.changes == {"file": "file.csv", "rows": 2}


@pytest.mark.django_db
def test_an_xlsx_file_is_read_too(world, as_token):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Vai trò"])
    sheet.append(["lan", "Nguyễn Thị Lan", "A", "Cán bộ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("users.xlsx", buffer.getvalue())
    response = as_token(world.an).post(url("users"), {"file": file}, format="multipart")
    assert response.status_code == 201, response.content
    assert User.objects.get(username="lan").memberships.get().agency == world.A


@pytest.mark.django_db
def test_a_secretary_cannot_import_an_administrator_or_people_of_another_agency(world, as_token):
    text = (
        "username,full_name,agency_code,role\n"
        "lan,Nguyễn Thị Lan,A,staff\n"
        "sep,Sếp,A,admin\n"
        "la,Người lạ,B,staff\n"
    )
    response = as_token(world.an).post(url("users"), upload(text), format="multipart")
    error = assert_error_shape(response, 400, "import_rejected")
    assert [(e["row"], e["column"]) for e in error["rows"]] == [(3, "role"), (4, "agency_code")]
    assert not User.objects.filter(username__in=["lan", "sep", "la"]).exists()


@pytest.mark.django_db
def test_a_missing_column_is_a_file_level_error(world, as_token):
    response = as_token(world.quan).post(
        url("agencies", dry_run=1), upload("code,name\nX,Y\n"), format="multipart"
    )
    assert response.json()["errors"] == [
        {"row": 0, "column": "kind", "message": response.json()["errors"][0]["message"]}
    ]


@pytest.mark.django_db
def test_people_who_may_not_import_get_403(world, as_token):
    for persona in (world.binh, world.dung):  # overseers read the registry, they do not keep it
        response = as_token(persona).post(
            url("agencies", dry_run=1), upload(AGENCIES_OK), format="multipart"
        )
        assert_error_shape(response, 403, "not_permitted")
    response = as_token(world.dung).post(url("users"), upload("username\nx\n"), format="multipart")
    assert_error_shape(response, 403, "not_permitted")


@pytest.mark.django_db
def test_bad_uploads_are_refused(world, as_token):
    client = as_token(world.quan)
    assert_error_shape(client.post(url("documents"), upload(AGENCIES_OK), format="multipart"), 404)
    error = assert_error_shape(
        client.post(url("agencies"), upload(AGENCIES_OK, name="a.pdf"), format="multipart"), 400
    )
    assert "file" in error["fields"]
    assert (
        "file"
        in assert_error_shape(client.post(url("agencies"), {}, format="multipart"), 400)["fields"]
    )
    damaged = SimpleUploadedFile("a.xlsx", b"not a workbook")
    assert_error_shape(client.post(url("agencies"), {"file": damaged}, format="multipart"), 400)
    assert not Agency.objects.filter(code="SO-KHCN").exists()


# --- large files: a background job -------------------------------------------------------------


def many_agencies(n: int, bad: int | None = None) -> str:
    rows = "".join(f"J{i},Xã số {i},{'loai-la' if i == bad else 'ubnd_xa'},P\n" for i in range(n))
    return "code,name,kind,parent_code\n" + rows


@pytest.mark.django_db
def test_a_large_file_is_accepted_as_a_job_with_its_status_url(
    world, as_token, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_SYNC_ROWS = 3
    client = as_token(world.quan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("agencies"), upload(many_agencies(5)), format="multipart")
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and job["rows_total"] == 5 and job["apply_requested"]
    assert job["status_url"].endswith(reverse("api:import-job", args=[job["id"]]))
    status = client.get(job["status_url"]).json()  # the job ran in-process (no broker)
    assert (status["status"], status["ok"], status["imported"]) == ("applied", True, 5)
    assert status["rows_done"] == 5 and status["errors"] == []
    assert Agency.objects.filter(code__startswith="J").count() == 5


@pytest.mark.django_db
def test_a_large_dry_run_reports_its_bad_rows_through_the_job(
    world, as_token, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_SYNC_ROWS = 3
    client = as_token(world.quan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("agencies", dry_run=1), upload(many_agencies(5, bad=2)), format="multipart"
        )
    job = client.get(response.json()["status_url"]).json()
    assert (job["status"], job["ok"], job["error_count"]) == ("previewed", False, 1)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(4, "kind")]
    assert not Agency.objects.filter(code__startswith="J").exists()


@pytest.mark.django_db
def test_a_job_is_seen_by_its_uploader_only(world, as_token, settings):
    settings.IMPORT_SYNC_ROWS = 3
    response = as_token(world.quan).post(
        url("agencies"), upload(many_agencies(5)), format="multipart"
    )
    job_url = reverse("api:import-job", args=[response.json()["id"]])
    for persona in (world.dung, world.an):
        assert_error_shape(as_token(persona).get(job_url), 404, "not_found")
    assert_error_shape(as_token(world.quan).get(reverse("api:import-job", args=[999999])), 404)


@pytest.mark.django_db
def test_more_rows_than_the_limit_are_refused_at_once(world, as_token, settings):
    settings.IMPORT_MAX_ROWS = 4
    response = as_token(world.quan).post(
        url("agencies"), upload(many_agencies(5)), format="multipart"
    )
    error = assert_error_shape(response, 400)
    assert "4" in error["message"] and "IMPORT_MAX_ROWS" in error["message"]


@pytest.mark.django_db
def test_a_csv_not_in_utf8_is_refused_with_how_to_save_it(world, as_token):
    content = "code,name,kind,parent_code\nX,S\u01a1\u0309 T\u01b0 pha\u0323m,so_nganh,P\n"
    file = SimpleUploadedFile("a.csv", content.encode("cp1258"))
    response = as_token(world.quan).post(url("agencies"), {"file": file}, format="multipart")
    error = assert_error_shape(response, 400)
    assert "Windows-1258" in error["message"] and "CSV UTF-8" in error["message"]


def test_the_job_endpoint_is_in_the_schema():
    from eiso.api.views.docs import SchemaView

    schema = SchemaView.made_schema()
    assert "/api/v1/imports/jobs/{id}/" in schema["paths"]
    responses = schema["paths"]["/api/v1/imports/{kind}/"]["post"]["responses"]
    assert "202" in responses
