"""The agency import is set-based (issue 15): its statements do not grow with the rows, and
what it writes is what ``agency_create`` writes — materialized paths at any depth of the
file's tree, folded search text, one ``agency.create`` audit event per agency."""

import pytest
from django.utils import translation

from eiso.accounts.models import User
from eiso.core.imports import import_file, import_preview
from eiso.core.models import AuditEvent
from eiso.core.testing import import_statements
from eiso.core.text import ranked_search_text
from eiso.organizations.imports import _loops, agency_create_many
from eiso.organizations.models import Agency, AgencyKind
from eiso.organizations.services import agency_create

HEADER = "Mã,Tên đơn vị,Tên viết tắt,Loại,Mã cấp trên,Cấp,Bắt buộc áp dụng,Địa chỉ\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def imported(world, content: bytes):
    actor = User.objects.get(pk=world.quan.pk)  # a fresh user: no scope cached from before
    return import_file(
        actor=actor, agency=None, kind="agencies", filename="dv.csv", content=content
    )


def groups(n: int, prefix: str) -> bytes:
    """``n`` rows: pairs of a new agency under P and a child under it, in every other pair
    the child first."""
    rows = []
    for i in range(n // 2):
        pair = [
            f"{prefix}{i},Trung tâm {prefix} {i},TT {i},don_vi_su_nghiep,P,,,Số {i} Lê Lợi",
            f"{prefix}{i}-C,Phòng {prefix} {i},,don_vi_su_nghiep,{prefix}{i},,không,",
        ]
        rows += pair if i % 2 else pair[::-1]
    return csv_bytes(*rows)


def statements(world, content: bytes) -> int:
    return import_statements(lambda: imported(world, content))


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_rows(world):
    small = statements(world, groups(30, "N"))
    large = statements(world, groups(60, "M"))
    assert small == large
    assert small <= 25


@pytest.mark.django_db
def test_every_level_of_the_files_tree_gets_its_path_depth_and_search_text(world):
    report = imported(
        world,
        csv_bytes(
            "L3,Tổ ba,,don_vi_su_nghiep,L2,,,",  # before its parent, which is before its own
            "L2,Phòng hai,Phòng 2,don_vi_su_nghiep,L1,,,Đường Hùng Vương",
            "L1,Trung tâm Dịch vụ Đô thị,TTDV,so_nganh,P,tỉnh,x,Số 1 Lê Lợi",
            "L1B,Trung tâm bên cạnh,,don_vi_su_nghiep,A,,,",
        ),
    )
    assert report.ok, report.errors
    for code in ("L1", "L2", "L3", "L1B"):
        agency = Agency.objects.get(code=code)
        parent = agency.parent
        assert agency.path == f"{parent.path}{agency.pk:07d}/"
        assert agency.depth == parent.depth + 1
        assert agency.search_text == ranked_search_text(
            agency.code, [agency.name, agency.short_name], [agency.address]
        )
    assert Agency.objects.get(code="L3").parent.code == "L2"
    assert "duong hung vuong" in Agency.objects.get(code="L2").search_text
    assert Agency.objects.filter(path__startswith=world.P.path, code__startswith="L").count() == 4
    assert not Agency.objects.filter(path__startswith="tmp-").exists()


@pytest.mark.django_db
@translation.override("en")  # the reason is the importer's, in the active language
def test_an_imported_agency_is_audited_as_agency_create_audits_it(world):
    kind = AgencyKind.objects.get(code="don_vi_su_nghiep")
    by_hand = agency_create(
        actor=world.quan,
        code="S1",
        name="Trung tâm Lưu trữ",
        short_name="TTLT",
        kind=kind,
        parent=world.A,
        address="Số 3 Trần Phú",
        reason="Imported from a spreadsheet",
    )
    report = imported(
        world, csv_bytes("S2,Trung tâm Lưu trữ,TTLT,don_vi_su_nghiep,A,,,Số 3 Trần Phú")
    )
    assert report.ok
    twin = Agency.objects.get(code="S2")
    fields = ("actor_id", "actor_name", "action", "object_type", "reason", "remote_addr")
    expected = AuditEvent.objects.get(action="agency.create", object_id=str(by_hand.pk))
    written = AuditEvent.objects.get(action="agency.create", object_id=str(twin.pk))
    assert [getattr(written, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert written.agency_id == twin.pk and written.object_repr == str(twin)
    assert written.changes == {**expected.changes, "code": "S2"}
    assert (twin.tier, twin.must_apply) == (by_hand.tier, by_hand.must_apply)


@pytest.mark.django_db
def test_a_code_taken_in_another_case_is_reported_before_anything_is_saved(world):
    _batch, report = import_preview(
        actor=world.quan,
        agency=None,
        kind="agencies",
        filename="dv.csv",
        content=csv_bytes("a,Trùng mã khác hoa thường,,ubnd_xa,P,,,"),
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]


@pytest.mark.django_db
def test_the_write_refuses_what_the_check_refuses(world):
    """``agency_create_many`` keeps ``agency_create``'s rules even when called without the
    check (a code taken meanwhile, an agency placed outside the actor's agencies)."""
    from eiso.core.errors import NotPermitted, ValidationFailed

    kind = AgencyKind.objects.get(code="ubnd_xa")
    row = {
        "code": "Z1",
        "name": "Xã Z",
        "short_name": "",
        "kind": kind,
        "tier": None,
        "must_apply": None,
        "parent_code": "P",
        "address": "",
        "head_name": "",
        "head_title": "",
        "phone": "",
        "email": "",
        "active_from": None,
    }
    with pytest.raises(ValidationFailed):
        agency_create_many(actor=world.quan, items=[{**row, "code": "b"}])
    with pytest.raises(ValidationFailed):
        agency_create_many(actor=world.quan, items=[{**row, "parent_code": "KHONG-CO"}])
    with pytest.raises(NotPermitted):  # an overseer manages no agency
        agency_create_many(actor=world.dung, items=[row])
    with pytest.raises(NotPermitted):
        agency_create_many(actor=world.dung, items=[{**row, "parent_code": ""}])
    assert not Agency.objects.filter(code__in=["Z1", "b"]).exists()


def test_following_the_parents_is_linear_and_finds_every_row_that_runs_into_a_cycle():
    chain = {f"c{i}": f"c{i + 1}" for i in range(20_000)}  # a chain leaving the file
    assert not any(_loops(chain).values())
    looped = {**chain, "c20000": "c10000"}  # its second half now loops
    found = _loops(looped)
    assert all(found[f"c{i}"] for i in range(20_001))
    assert _loops({"x": "x", "y": "z"}) == {"x": True, "y": False}
