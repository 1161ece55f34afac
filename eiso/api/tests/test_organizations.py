import uuid

import pytest
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract
from eiso.organizations.models import Agency, Department
from eiso.organizations.tests.factories import AgencyFactory, DepartmentFactory, kind


def agencies_url():
    return reverse("api:agency-list")


def agency_url(agency):
    return reverse("api:agency-detail", args=[agency.pk])


def departments_url():
    return reverse("api:department-list")


def department_url(department):
    return reverse("api:department-detail", args=[department.pk])


@pytest.mark.django_db
class TestAgencyApiIsolation(IsolationContract):
    """As on the pages, overseers read the registry of their subtree: ``dung`` (province P)
    reads A's sub-agencies but not C's (province Q); ``em`` gets 404 on A's. Only
    administrators change it (issue 8, item 8)."""

    api = True
    viewer = "dung"
    foreign = "C"
    outsider = "em"
    overseer = "dung"
    overseer_may_change = False

    def make(self, world, agency):
        return AgencyFactory(parent=agency, code=f"T-{uuid.uuid4().hex[:10]}")

    def list_url(self):
        return agencies_url()

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [agency_url(obj)]

    def change_requests(self, obj):
        return [
            ("patch", agency_url(obj), {"name": "Đổi tên"}),
            ("put", agency_url(obj), {"code": obj.code, "name": "X", "kind": obj.kind.code}),
            ("post", reverse("api:agency-deactivate", args=[obj.pk]), {"reason": "x"}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            agencies_url(),
            {"code": "NEW-1", "name": "Cơ quan mới", "kind": "so_nganh", "parent": agency.pk},
        )

    def count(self):
        return Agency.objects.count()


@pytest.mark.django_db
class TestDepartmentApiIsolation(IsolationContract):
    """Departments: ``an`` (secretary of A) manages A's; ``chi`` (B) gets 404 on them.
    Overseers read the departments of their subtree and change none."""

    api = True
    overseer_may_change = False

    def make(self, world, agency):
        return DepartmentFactory(agency=agency, name=f"Phong {uuid.uuid4().hex[:10]}")

    def list_url(self):
        return departments_url()

    def marker(self, obj):
        return obj.name

    def read_urls(self, obj):
        return [department_url(obj)]

    def change_requests(self, obj):
        return [
            ("patch", department_url(obj), {"name": "Đổi tên"}),
            ("put", department_url(obj), {"name": "Đổi tên"}),
        ]

    def create_request(self, world, agency):
        return ("post", departments_url(), {"agency": agency.pk, "name": "Phòng lạ"})

    def count(self):
        return Department.objects.count()


# --- lists: filters and query counts -----------------------------------------------------------


@pytest.mark.django_db
def test_agency_list_query_count_does_not_grow_with_rows(
    world, as_token, django_assert_num_queries
):
    client = as_token(world.dung)
    # token + user, memberships (scope), count, page
    with django_assert_num_queries(4):
        response = client.get(agencies_url())
    assert response.json()["count"] == 3  # P, A, B
    AgencyFactory.create_batch(20, parent=world.A)
    with django_assert_num_queries(4):
        response = client.get(agencies_url())
    assert response.json()["count"] == 23
    assert len(response.json()["results"]) == 23


@pytest.mark.django_db
def test_agency_list_with_a_parent_filter_costs_one_query_more(
    world, as_token, django_assert_num_queries
):
    client = as_token(world.dung)
    AgencyFactory.create_batch(3, parent=world.A)
    with django_assert_num_queries(5):  # + the parent, loaded through the scoped selector
        response = client.get(agencies_url(), {"parent": world.A.pk})
    assert response.json()["count"] == 4
    AgencyFactory.create_batch(20, parent=world.A)
    with django_assert_num_queries(5):
        response = client.get(agencies_url(), {"parent": world.A.pk})
    assert response.json()["count"] == 24


@pytest.mark.django_db
def test_department_list_query_count_does_not_grow_with_rows(
    world, as_token, django_assert_num_queries
):
    client = as_token(world.an)
    DepartmentFactory(agency=world.A)
    with django_assert_num_queries(4):  # token + user, memberships, count, page
        response = client.get(departments_url())
    assert response.json()["count"] == 1
    DepartmentFactory.create_batch(20, agency=world.A)
    with django_assert_num_queries(4):
        response = client.get(departments_url())
    assert response.json()["count"] == 21
    assert {row["agency_code"] for row in response.json()["results"]} == {"A"}


@pytest.mark.django_db
def test_agency_search_ignores_diacritics(world, as_token):
    response = as_token(world.dung).get(agencies_url(), {"q": "so tu phap"})
    assert [row["code"] for row in response.json()["results"]] == ["A"]


@pytest.mark.django_db
def test_agency_list_filters_by_kind_tier_status_and_parent(world, as_token):
    client = as_token(world.dung)
    commune = AgencyFactory(parent=world.A, code="XA-1", kind=kind("ubnd_xa"))
    AgencyFactory(parent=world.B, code="OLD-1", is_active=False)

    def codes(**params):
        response = client.get(agencies_url(), params)
        assert response.status_code == 200, response.content
        return {row["code"] for row in response.json()["results"]}

    assert codes(kind="ubnd_tinh") == {"P"}
    assert codes(tier=commune.tier) == {"XA-1"}
    assert codes(status="inactive") == {"OLD-1"}
    assert "OLD-1" not in codes(status="active")
    assert codes(parent=world.A.pk) == {"A", "XA-1"}
    ordered = client.get(agencies_url(), {"ordering": "-code"}).json()["results"]
    assert [row["code"] for row in ordered] == sorted(
        (row["code"] for row in ordered), reverse=True
    )


@pytest.mark.django_db
def test_a_parent_filter_outside_the_scope_is_refused_like_an_unknown_one(world, as_token):
    client = as_token(world.dung)
    error = assert_error_shape(
        client.get(agencies_url(), {"parent": world.C.pk}), 400, "validation_failed"
    )
    assert "parent" in error["fields"]
    unknown = client.get(agencies_url(), {"parent": 999999}).json()["error"]["fields"]["parent"]
    assert unknown[0] == error["fields"]["parent"][0].replace(str(world.C.pk), "999999")


@pytest.mark.django_db
def test_a_bad_filter_value_is_refused(world, as_token):
    error = assert_error_shape(as_token(world.dung).get(agencies_url(), {"tier": "x"}), 400)
    assert "tier" in error["fields"]


@pytest.mark.django_db
def test_staff_read_their_own_agency_but_cannot_change_it(world, as_token):
    client = as_token(world.binh)
    assert [row["code"] for row in client.get(agencies_url()).json()["results"]] == ["A"]
    assert client.get(agency_url(world.A)).json()["code"] == "A"
    assert_error_shape(client.patch(agency_url(world.A), {"name": "X"}, format="json"), 404)
    world.A.refresh_from_db()
    assert world.A.name != "X"


@pytest.mark.django_db
def test_the_agency_shows_every_documented_field(world, as_token):
    body = as_token(world.dung).get(agency_url(world.A)).json()
    assert body["kind"] == "so_nganh"
    assert body["parent"] == world.P.pk and body["parent_code"] == "P"
    assert body["path"] == world.A.path and body["depth"] == 1
    assert body["version"] == world.A.version and body["is_active"] is True
    assert {"successor", "active_from", "active_to", "head_name", "email"} <= set(body)
    top = as_token(world.dung).get(agency_url(world.P)).json()
    assert top["parent"] is None and top["parent_code"] is None


# --- agency writes -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_creates_an_agency_and_it_is_audited(world, as_token):
    response = as_token(world.quan).post(
        agencies_url(),
        {
            "code": "SO-KHCN",
            "name": "Sở Khoa học và Công nghệ",
            "kind": "so_nganh",
            "parent": world.P.pk,
        },
        format="json",
        REMOTE_ADDR="10.0.0.7",
    )
    assert response.status_code == 201, response.content
    agency = Agency.objects.get(code="SO-KHCN")
    assert response.json()["id"] == agency.pk and response.json()["parent_code"] == "P"
    assert agency.path.startswith(world.P.path) and agency.depth == 1
    assert agency.tier == "provincial" and agency.must_apply is True  # from the kind
    event = AuditEvent.objects.get(action="agency.create", object_id=str(agency.pk))
    assert event.actor == world.quan and event.remote_addr == "10.0.0.7"


@pytest.mark.django_db
def test_duplicate_agency_code_is_refused_and_nothing_saved(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.quan).post(
        agencies_url(),
        {"code": "a", "name": "Trùng mã", "kind": "so_nganh", "parent": world.P.pk},
        format="json",
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert error["fields"]["code"]
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_unknown_kind_is_refused_and_nothing_saved(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.dung).post(
        agencies_url(),
        {"code": "K-1", "name": "Loại lạ", "kind": "khong-co", "parent": world.P.pk},
        format="json",
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert error["fields"]["kind"]
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_a_parent_outside_the_scope_is_refused_and_nothing_saved(world, as_token):
    response = as_token(world.dung).post(
        agencies_url(),
        {"code": "X1", "name": "Ngoài phạm vi", "kind": "so_nganh", "parent": world.Q.pk},
        format="json",
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert error["fields"]["parent"]
    assert not Agency.objects.filter(code="X1").exists()


@pytest.mark.django_db
def test_only_an_administrator_creates_a_top_level_agency(world, as_token):
    data = {"code": "TOP-1", "name": "Tỉnh mới", "kind": "ubnd_tinh", "parent": None}
    assert_error_shape(as_token(world.dung).post(agencies_url(), data, format="json"), 403)
    assert not Agency.objects.filter(code="TOP-1").exists()
    response = as_token(world.quan).post(agencies_url(), data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["depth"] == 0 and response.json()["parent"] is None


@pytest.mark.django_db
def test_staff_cannot_create_an_agency(world, as_token):
    before = Agency.objects.count()
    response = as_token(world.binh).post(
        agencies_url(),
        {"code": "S-1", "name": "Không được", "kind": "so_nganh", "parent": world.A.pk},
        format="json",
    )
    assert_error_shape(response, 400)
    assert Agency.objects.count() == before


@pytest.mark.django_db
def test_patch_changes_only_the_given_fields_and_bumps_the_version(world, as_token):
    version = world.A.version
    response = as_token(world.quan).patch(
        agency_url(world.A), {"phone": "0203 111 222", "version": version}, format="json"
    )
    assert response.status_code == 200, response.content
    world.A.refresh_from_db()
    assert world.A.phone == "0203 111 222" and world.A.name == "Sở Tư pháp tỉnh Phú An"
    assert response.json()["version"] == version + 1 == world.A.version


@pytest.mark.django_db
def test_a_stale_version_is_refused_not_overwritten(world, as_token):
    response = as_token(world.quan).patch(
        agency_url(world.A),
        {"name": "Tên cũ ghi đè", "version": world.A.version + 5},
        format="json",
    )
    assert_error_shape(response, 409, "concurrent_edit")
    world.A.refresh_from_db()
    assert world.A.name != "Tên cũ ghi đè"


@pytest.mark.django_db
def test_put_needs_the_required_fields(world, as_token):
    error = assert_error_shape(
        as_token(world.quan).put(agency_url(world.A), {"name": "Chỉ tên"}, format="json"), 400
    )
    assert {"code", "kind"} <= set(error["fields"])


@pytest.mark.django_db
def test_moving_an_agency_moves_its_subtree(world, as_token):
    child = AgencyFactory(parent=world.A, code="A-1")
    grandchild = AgencyFactory(parent=child, code="A-1-1")
    response = as_token(world.quan).patch(agency_url(child), {"parent": world.B.pk}, format="json")
    assert response.status_code == 200, response.content
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(world.B.path) and grandchild.depth == 3


@pytest.mark.django_db
def test_an_overseer_cannot_rename_or_move_an_agency_of_the_subtree(world, as_token):
    """Issue 8, item 8: overseers read, remind, receive, inspect and report."""
    client = as_token(world.dung)
    for change in ({"parent": world.Q.pk}, {"name": "Tên do giám sát đặt"}):
        assert_error_shape(client.patch(agency_url(world.A), change, format="json"), 404)
    deactivate = reverse("api:agency-deactivate", args=[world.A.pk])
    assert_error_shape(client.post(deactivate, {"reason": "x"}, format="json"), 404)
    world.A.refresh_from_db()
    assert world.A.parent_id == world.P.pk and world.A.is_active
    assert world.A.name == "Sở Tư pháp tỉnh Phú An"


@pytest.mark.django_db
def test_deactivation_keeps_the_agency_and_refuses_with_active_children(world, as_token):
    client = as_token(world.quan)
    url = reverse("api:agency-deactivate", args=[world.P.pk])
    assert_error_shape(client.post(url, {"reason": "x"}, format="json"), 400)
    world.P.refresh_from_db()
    assert world.P.is_active
    url = reverse("api:agency-deactivate", args=[world.A.pk])
    assert "reason" in assert_error_shape(client.post(url, {}, format="json"), 400)["fields"]
    response = client.post(url, {"reason": "Sáp nhập", "on": "2026-01-31"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["active_to"] == "2026-01-31"
    world.A.refresh_from_db()
    assert not world.A.is_active
    assert AuditEvent.objects.filter(action="agency.deactivate", reason="Sáp nhập").exists()


# --- departments -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_secretary_adds_a_department_to_own_agency_only(world, as_token):
    client = as_token(world.an)
    response = client.post(
        departments_url(), {"agency": world.A.pk, "name": "Văn phòng Sở"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["agency_code"] == "A" and response.json()["kind"] == "office"
    assert Department.objects.filter(agency=world.A, name="Văn phòng Sở").exists()
    error = assert_error_shape(
        client.post(departments_url(), {"agency": world.B.pk, "name": "Phòng lạ"}, format="json"),
        400,
    )
    assert error["fields"]["agency"]
    assert not Department.objects.filter(name="Phòng lạ").exists()


@pytest.mark.django_db
def test_staff_cannot_add_a_department(world, as_token):
    response = as_token(world.binh).post(
        departments_url(), {"agency": world.A.pk, "name": "Phòng của Bình"}, format="json"
    )
    assert "agency" in assert_error_shape(response, 400)["fields"]
    assert not Department.objects.filter(name="Phòng của Bình").exists()


@pytest.mark.django_db
def test_staff_who_can_see_a_department_get_403_when_changing_it(world, as_token):
    department = DepartmentFactory(agency=world.A, name="Phòng Hành chính")
    response = as_token(world.binh).patch(
        department_url(department), {"name": "Đổi"}, format="json"
    )
    assert_error_shape(response, 403, "not_permitted")
    department.refresh_from_db()
    assert department.name == "Phòng Hành chính"


@pytest.mark.django_db
def test_a_duplicate_department_name_is_refused(world, as_token):
    DepartmentFactory(agency=world.A, name="Phòng Hành chính")
    other = DepartmentFactory(agency=world.A, name="Phòng Tổ chức")
    response = as_token(world.an).patch(
        department_url(other), {"name": "phòng hành chính"}, format="json"
    )
    assert assert_error_shape(response, 400)["fields"]["name"]
    other.refresh_from_db()
    assert other.name == "Phòng Tổ chức"


@pytest.mark.django_db
def test_department_update_keeps_the_agency(world, as_token):
    department = DepartmentFactory(agency=world.A, name="Phòng cũ")
    response = as_token(world.an).put(
        department_url(department),
        {"name": "Phòng mới", "kind": "board", "is_active": False, "agency": world.B.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    department.refresh_from_db()
    assert (department.name, department.kind, department.is_active) == ("Phòng mới", "board", False)
    assert department.agency_id == world.A.pk
    assert AuditEvent.objects.filter(action="department.update").exists()


@pytest.mark.django_db
def test_department_list_filters_by_agency(world, as_token):
    DepartmentFactory(agency=world.A, name="Phòng A")
    DepartmentFactory(agency=world.B, name="Phòng B")
    client = as_token(world.dung)
    names = {row["name"] for row in client.get(departments_url()).json()["results"]}
    assert names == {"Phòng A", "Phòng B"}
    response = client.get(departments_url(), {"agency": world.B.pk})
    assert [row["name"] for row in response.json()["results"]] == ["Phòng B"]
    assert_error_shape(as_token(world.an).get(departments_url(), {"agency": world.B.pk}), 400)


@pytest.mark.django_db
def test_a_form_encoded_body_does_not_switch_off_what_it_leaves_out(world, as_token):
    client = as_token(world.quan)
    department = DepartmentFactory(agency=world.A, name="Phòng cũ")
    response = client.put(department_url(department), {"name": "Phòng mới"}, format="multipart")
    assert response.status_code == 200, response.content
    department.refresh_from_db()
    assert department.name == "Phòng mới" and department.is_active is True
    response = client.post(
        agencies_url(),
        {"code": "F-1", "name": "Sở Công Thương", "kind": "so_nganh", "parent": world.P.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert Agency.objects.get(code="F-1").must_apply is True  # the kind's default, not False
