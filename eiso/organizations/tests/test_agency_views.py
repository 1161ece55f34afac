import pytest
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract
from eiso.organizations.models import Agency, Department
from eiso.organizations.tests.factories import AgencyFactory, DepartmentFactory


@pytest.mark.django_db
class TestAgencyPagesIsolation(IsolationContract):
    """Overseers read the registry of their subtree: ``dung`` (province P) sees A and B but not
    C (province Q); ``em`` (province Q) gets 404 on A. Administrators keep the registry: the
    overseer changes nothing (issue 8, item 8)."""

    viewer = "dung"
    foreign = "C"
    outsider = "em"
    overseer = "dung"
    overseer_may_change = False

    def make(self, world, agency):
        return AgencyFactory(parent=agency, name=f"Chi cục thử nghiệm dưới {agency.code}")

    def list_url(self):
        return reverse("organizations:list")

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [reverse("organizations:detail", args=[obj.pk])]

    def change_requests(self, obj):
        return [
            ("get", reverse("organizations:edit", args=[obj.pk]), {}),
            ("post", reverse("organizations:deactivate", args=[obj.pk]), {"reason": "x"}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            reverse("organizations:create"),
            {"code": "NEW-1", "name": "Cơ quan mới", "kind": agency.kind_id, "parent": agency.pk},
        )

    def count(self):
        return Agency.objects.count()


@pytest.mark.django_db
def test_staff_cannot_open_the_agency_list(client, world):
    client.force_login(world.binh)
    assert client.get(reverse("organizations:list")).status_code == 404
    assert client.get(reverse("organizations:create")).status_code == 404


@pytest.mark.django_db
def test_search_ignores_diacritics(client, world):
    client.force_login(world.dung)
    response = client.get(reverse("organizations:list"), {"q": "so tu phap"})
    body = response.content.decode()
    assert "Sở Tư pháp tỉnh Phú An" in body
    assert "Sở Y tế tỉnh Phú An" not in body


@pytest.mark.django_db
def test_agency_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    url = reverse("organizations:list")
    # session, user, memberships, unread notifications, kinds (filter form), count, page
    with django_assert_num_queries(7):
        client.get(url)
    AgencyFactory.create_batch(20, parent=world.A)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 23  # P, A, B and the 20 new ones


@pytest.mark.django_db
def test_an_administrator_creates_an_agency_and_it_is_audited(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:create"),
        {
            "code": "SO-KHCN",
            "name": "Sở Khoa học và Công nghệ",
            "kind": world.A.kind_id,
            "parent": world.P.pk,
        },
    )
    agency = Agency.objects.get(code="SO-KHCN")
    assert response.status_code == 302
    assert agency.path.startswith(world.P.path) and agency.depth == 1
    assert agency.must_apply is True and agency.tier == "provincial"
    event = AuditEvent.objects.get(action="agency.create", object_id=str(agency.pk))
    assert event.actor == world.quan and event.remote_addr == "127.0.0.1"


@pytest.mark.django_db
def test_duplicate_code_is_refused_and_the_form_keeps_what_was_typed(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:create"),
        {"code": "a", "name": "Tên đã gõ", "kind": world.A.kind_id, "parent": world.P.pk},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tên đã gõ" in body
    assert response.context["form"].errors["code"]
    assert Agency.objects.filter(name="Tên đã gõ").count() == 0


@pytest.mark.django_db
def test_an_overseer_reads_the_registry_but_does_not_change_it(client, world):
    """Issue 8, item 8: the provincial overseer renamed an agency and its departments."""
    department = DepartmentFactory(agency=world.A, name="Văn phòng Sở")
    client.force_login(world.dung)
    assert client.get(reverse("organizations:list")).status_code == 200
    assert client.get(reverse("organizations:detail", args=[world.A.pk])).status_code == 200
    assert client.get(reverse("organizations:create")).status_code == 404
    created = client.post(
        reverse("organizations:create"),
        {"code": "X1", "name": "Cơ quan mới", "kind": world.A.kind_id, "parent": world.P.pk},
    )
    assert created.status_code == 404
    renamed = client.post(
        reverse("organizations:edit", args=[world.A.pk]),
        {
            "code": "A",
            "name": "Tên do giám sát đặt",
            "kind": world.A.kind_id,
            "parent": world.P.pk,
            "version": world.A.version,
        },
    )
    assert renamed.status_code == 404
    client.post(
        reverse("organizations:department_edit", args=[department.pk]),
        {"name": "Phòng do giám sát đặt", "kind": "office", "is_active": "on"},
    )
    client.post(
        reverse("organizations:department_create", args=[world.A.pk]),
        {"name": "Phòng mới của giám sát", "kind": "office", "is_active": "on"},
    )
    world.A.refresh_from_db()
    department.refresh_from_db()
    assert world.A.name != "Tên do giám sát đặt" and department.name == "Văn phòng Sở"
    assert not Agency.objects.filter(code="X1").exists()
    assert not Department.objects.filter(name="Phòng mới của giám sát").exists()


@pytest.mark.django_db
def test_moving_an_agency_moves_its_subtree(client, world):
    child = AgencyFactory(parent=world.A, code="A-1")
    grandchild = AgencyFactory(parent=child, code="A-1-1")
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:edit", args=[child.pk]),
        {
            "code": "A-1",
            "name": child.name,
            "kind": child.kind_id,
            "parent": world.B.pk,
            "version": child.version,
        },
    )
    assert response.status_code == 302
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(world.B.path) and grandchild.depth == 3


@pytest.mark.django_db
def test_a_stale_edit_is_detected_not_overwritten(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:edit", args=[world.A.pk]),
        {
            "code": "A",
            "name": "Tên cũ ghi đè",
            "kind": world.A.kind_id,
            "parent": world.P.pk,
            "version": world.A.version - 1,
        },
    )
    assert response.status_code == 200
    world.A.refresh_from_db()
    assert world.A.name != "Tên cũ ghi đè"


@pytest.mark.django_db
def test_deactivation_keeps_the_agency_and_refuses_with_active_children(client, world):
    client.force_login(world.quan)
    response = client.post(reverse("organizations:deactivate", args=[world.P.pk]), {"reason": "x"})
    assert response.status_code == 200
    world.P.refresh_from_db()
    assert world.P.is_active
    response = client.post(
        reverse("organizations:deactivate", args=[world.A.pk]), {"reason": "Sáp nhập"}
    )
    assert response.status_code == 302
    world.A.refresh_from_db()
    assert not world.A.is_active and world.A.active_to is not None


@pytest.mark.django_db
def test_secretary_adds_a_department_to_own_agency_only(client, world):
    client.force_login(world.an)
    client.post(
        reverse("organizations:department_create", args=[world.A.pk]),
        {"name": "Văn phòng Sở", "kind": "office", "is_active": "on"},
    )
    assert Department.objects.filter(agency=world.A, name="Văn phòng Sở").exists()
    response = client.post(
        reverse("organizations:department_create", args=[world.B.pk]),
        {"name": "Phòng lạ", "kind": "office"},
    )
    assert response.status_code == 404
    assert not Department.objects.filter(name="Phòng lạ").exists()


@pytest.mark.django_db
def test_department_edit_is_404_for_another_agency(client, world):
    department = DepartmentFactory(agency=world.B)
    client.force_login(world.an)
    assert (
        client.get(reverse("organizations:department_edit", args=[department.pk])).status_code
        == 404
    )
