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
    "X-3,Ngoài tỉnh,so_nganh,Q\n"
)


def url(kind, **query):
    base = reverse("api:import", args=[kind])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def upload(text: str, name: str = "file.csv"):
    return {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}


@pytest.mark.django_db
def test_a_dry_run_reports_every_bad_row_and_saves_nothing(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.dung).post(
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
    response = as_token(world.dung).post(
        url("agencies", dry_run=1), upload(AGENCIES_OK), format="multipart"
    )
    assert response.json() == {"ok": True, "rows": 2, "errors": []}
    assert not Agency.objects.filter(code="SO-KHCN").exists()


@pytest.mark.django_db
def test_an_import_with_a_bad_row_is_rejected_whole(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.dung).post(url("agencies"), upload(AGENCIES_BAD), format="multipart")
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
    response = as_token(world.dung).post(url("agencies"), upload(AGENCIES_OK), format="multipart")
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 2}
    child = Agency.objects.get(code="CC-1")
    assert child.parent.code == "SO-KHCN" and child.parent.parent_id == world.P.pk
    event = AuditEvent.objects.get(action="import.agencies")
    assert event.actor == world.dung and event.agency == world.P
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
    response = as_token(world.dung).post(
        url("agencies", dry_run=1), upload("code,name\nX,Y\n"), format="multipart"
    )
    assert response.json()["errors"] == [
        {"row": 0, "column": "kind", "message": response.json()["errors"][0]["message"]}
    ]


@pytest.mark.django_db
def test_people_who_may_not_import_get_403(world, as_token):
    response = as_token(world.binh).post(
        url("agencies", dry_run=1), upload(AGENCIES_OK), format="multipart"
    )
    assert_error_shape(response, 403, "not_permitted")
    response = as_token(world.dung).post(url("users"), upload("username\nx\n"), format="multipart")
    assert_error_shape(response, 403, "not_permitted")


@pytest.mark.django_db
def test_bad_uploads_are_refused(world, as_token):
    client = as_token(world.dung)
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
