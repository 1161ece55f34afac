import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.imports import import_apply, import_preview
from eiso.core.models import AuditEvent, ImportBatch
from eiso.organizations.models import Agency

HEADER = "Mã,Tên đơn vị,Tên viết tắt,Loại,Mã cấp trên,Cấp,Bắt buộc áp dụng,Hiệu lực từ\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "kind", "parent_code"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = csv_bytes(
    "XA-1,Ủy ban nhân dân xã Bình Minh,UBND xã Bình Minh,ubnd_xa,P,xã,,01/07/2025",
    "XA-1-VP,Văn phòng thử,,Đơn vị sự nghiệp công lập,XA-1,,không,",
)


def preview(actor, content, name="dv.csv"):
    return import_preview(actor=actor, agency=None, kind="agencies", filename=name, content=content)


@pytest.mark.django_db
def test_a_good_file_previews_then_applies_every_row(world):
    batch, report = preview(world.quan, GOOD)
    assert report.ok and len(report.rows) == 2
    assert not Agency.objects.filter(code="XA-1").exists()  # nothing before confirmation
    assert import_apply(actor=world.quan, batch=batch) == 2
    commune = Agency.objects.get(code="XA-1")
    office = Agency.objects.get(code="XA-1-VP")
    assert commune.parent == world.P and commune.tier == "commune"
    assert commune.active_from.isoformat() == "2025-07-01"
    assert office.parent == commune and office.must_apply is False
    assert AuditEvent.objects.filter(action="agency.create", agency=office).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ("X9,Tên,,ubnd_xa,KHONG-CO,,,", "parent_code", "KHONG-CO"),
        ("A,Trùng mã,,ubnd_xa,P,,,", "code", "A"),
        ("X9,Tên,,loai-la,P,,,", "kind", "loai-la"),
        ("X9,Tên,,ubnd_xa,P,,,31/02/2025", "active_from", ""),
        ("X9,,,ubnd_xa,P,,,", "name", ""),
        ("X9,Tên,,ubnd_xa,P,sao hỏa,,", "tier", "sao hỏa"),
    ],
)
def test_each_bad_row_is_reported_with_its_reason_and_nothing_is_saved(world, row, column, text):
    content = csv_bytes("OK-1,Xã Hợp lệ,,ubnd_xa,P,,,", row)
    batch, report = preview(world.quan, content)
    assert not report.ok
    errors = report.errors_for(3)
    assert [e.column for e in errors] == [column]
    assert text in errors[0].message
    assert report.errors_for(2) == []
    with pytest.raises(ValidationFailed):
        import_apply(actor=world.quan, batch=batch)
    assert not Agency.objects.filter(code__in=["OK-1", "X9"]).exists()


@pytest.mark.django_db
def test_duplicates_inside_the_file_and_cycles_are_reported(world):
    content = csv_bytes(
        "D1,Một,,ubnd_xa,P,,,",
        "D1,Hai,,ubnd_xa,P,,,",
        "L1,Vòng một,,ubnd_xa,L2,,,",
        "L2,Vòng hai,,ubnd_xa,L1,,,",
    )
    _, report = preview(world.quan, content)
    assert report.errors_for(2) == []  # the first D1 is fine
    assert any("D1" in e.message for e in report.errors_for(3))
    assert any(e.column == "parent_code" for e in report.errors_for(4))
    assert any(e.column == "parent_code" for e in report.errors_for(5))


@pytest.mark.django_db
def test_missing_columns_and_empty_files_are_file_errors(world):
    _, report = preview(world.quan, b"code,name\nX,Y\n")
    assert [e.column for e in report.file_errors()] == ["kind"]
    _, report = preview(world.quan, b"")
    assert report.file_errors()


@pytest.mark.django_db
def test_xlsx_files_are_read_like_csv(world):
    batch, report = preview(
        world.quan, xlsx_bytes([["XL-1", "Xã Excel", "ubnd_xa", "P"]]), "a.xlsx"
    )
    assert report.ok
    import_apply(actor=world.quan, batch=batch)
    assert Agency.objects.get(code="XL-1").parent == world.P


@pytest.mark.django_db
def test_a_batch_is_confirmed_once_and_only_by_its_uploader(world):
    batch, _ = preview(world.quan, GOOD)
    with pytest.raises(NotPermitted):
        import_apply(actor=world.dung, batch=batch)
    import_apply(actor=world.quan, batch=batch)
    with pytest.raises(ValidationFailed):
        import_apply(actor=world.quan, batch=batch)
    assert Agency.objects.filter(code="XA-1").count() == 1


@pytest.mark.django_db
def test_the_import_page_previews_errors_and_confirms(client, world):
    client.force_login(world.quan)
    url = reverse("organizations:import")
    bad = io.BytesIO(csv_bytes("X9,Tên,,ubnd_xa,KHONG-CO,,,"))
    bad.name = "bad.csv"
    response = client.post(url, {"file": bad})
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "KHONG-CO" in body
    good = io.BytesIO(GOOD)
    good.name = "good.csv"
    response = client.post(url, {"file": good})
    batch = response.context["batch"]
    response = client.post(url, {"batch": batch.pk})
    assert response.status_code == 302
    assert Agency.objects.filter(code__in=["XA-1", "XA-1-VP"]).count() == 2


@pytest.mark.django_db
def test_the_import_page_refuses_other_file_types(client, world):
    client.force_login(world.quan)
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "x.pdf"
    response = client.post(reverse("organizations:import"), {"file": upload})
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_staff_cannot_open_the_import_page(client, world):
    client.force_login(world.binh)
    assert client.get(reverse("organizations:import")).status_code == 404


@pytest.mark.django_db
def test_another_users_batch_is_404(client, world):
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.core.roles import Role

    batch, _ = preview(world.quan, GOOD)
    other_admin = UserFactory(username="admin2")
    MembershipFactory(user=other_admin, agency=world.P, role=Role.ADMIN)
    client.force_login(other_admin)
    assert client.post(reverse("organizations:import"), {"batch": batch.pk}).status_code == 404


@pytest.mark.django_db
def test_the_command_imports_all_or_nothing(world, tmp_path, capsys):
    world.quan.is_superuser = True
    world.quan.save()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("OK-2,Tốt,,ubnd_xa,P,,,", "X9,Tên,,ubnd_xa,KHONG-CO,,,"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_agencies", str(bad))
    assert "KHONG-CO" in capsys.readouterr().err
    assert not Agency.objects.filter(code="OK-2").exists()
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    call_command("import_agencies", str(good), "--as", "quan")
    assert Agency.objects.filter(code__in=["XA-1", "XA-1-VP"]).count() == 2
