"""The province and its people (builders.py), as a newcomer finds them after ``seed_demo``:
built once for the package (conftest.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from eiso.accounts.models import Membership, User
from eiso.core.models import AuditEvent
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.demo import data
from eiso.demo.builders import head_position, keeper_agencies, keeper_slug, place_names
from eiso.demo.qms import qms_started
from eiso.demo.tests.helpers import report
from eiso.organizations.models import Agency, Department

pytestmark = pytest.mark.django_db

CLOSED_ON = datetime.date(2025, 6, 30)


@pytest.fixture
def root(demo):
    return Agency.objects.get(parent=None)


def kind_of(code: str):
    return Agency.objects.filter(kind__code=code)


def login_row(output: str, username: str) -> list[str]:
    for line in output.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] == username:
            return cells
    raise AssertionError(f"{username} is not in the printed logins")


def test_the_province_has_one_root_with_its_departments_under_it(root):
    assert root.kind.code == data.UBND_TINH
    assert root.name == "Ủy ban nhân dân tỉnh Phú An"
    departments = kind_of(data.SO_NGANH)
    assert departments.count() >= 20
    assert all(a.parent_id == root.pk for a in departments)
    assert {"Sở Tư pháp", "Sở Y tế", "Sở Khoa học và Công nghệ", "Thanh tra tỉnh"} <= set(
        departments.values_list("short_name", flat=True)
    )


def test_the_standards_sub_department_is_under_the_science_department(root):
    tdc = Agency.objects.get(code="CCTDC")
    assert tdc.kind.code == data.CHI_CUC
    assert tdc.parent.code == "SKHCN"
    assert tdc.name.startswith("Chi cục Tiêu chuẩn Đo lường Chất lượng")


def test_communes_sit_directly_under_the_province_from_july_2025(root):
    communes = kind_of(data.UBND_XA)
    assert 55 <= communes.filter(is_active=True).count() <= 65
    assert set(communes.values_list("parent_id", flat=True)) == {root.pk}
    assert set(communes.values_list("active_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert communes.filter(code="XA-AN-PHU", name="Ủy ban nhân dân xã An Phú").exists()


def test_districts_and_their_offices_closed_on_30_june_2025(root):
    districts = kind_of(data.UBND_HUYEN)
    assert 4 <= districts.count() <= 6
    for district in districts:
        offices = district.children.all()
        assert offices.count() >= 2
        assert {o.kind.code for o in offices} == {data.PHONG_HUYEN}
        for agency in [district, *offices]:
            assert not agency.is_active
            assert agency.active_to == CLOSED_ON
    assert not Agency.objects.filter(is_active=False).exclude(active_to=CLOSED_ON).exists()


def test_every_active_agency_has_departments_a_head_and_contacts(demo):
    for agency in Agency.objects.filter(is_active=True).prefetch_related("departments"):
        assert agency.departments.all(), agency.code
        assert agency.head_name and agency.head_title, agency.code
        assert agency.address and agency.phone, agency.code
    assert Department.objects.count() >= 4 * 60


def test_the_head_of_an_agency_is_its_demo_head(demo):
    head = Membership.objects.select_related("agency", "user").get(
        role=Role.HEAD, agency__code="STP"
    )
    assert head.agency.head_name == head.user.full_name


def test_there_are_users_for_every_role_with_vietnamese_names(demo):
    held = set(Membership.objects.filter(is_active=True).values_list("role", flat=True))
    assert held == set(Role.values)
    assert all(" " in user.full_name for user in User.objects.all())
    assert Membership.objects.filter(department__isnull=False).count() >= 10


def test_the_admin_is_a_superuser_and_administers_the_root(root):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.full_name == "Quản trị hệ thống"
    assert Membership.objects.filter(user=admin, agency=root, role=Role.ADMIN).exists()


def test_the_overseer_sees_the_whole_province(root):
    overseer = User.objects.get(username="giamsat")
    assert Membership.objects.filter(user=overseer, agency=root, role=Role.OVERSEER).exists()
    scope = user_scope(overseer, Action.VIEW)
    assert all(scope.covers(agency) for agency in Agency.objects.all())
    assert Agency.objects.visible_to(overseer).count() == Agency.objects.count()


def test_someone_holds_roles_in_two_agencies(demo):
    agencies_per_user = {}
    for user_id, agency_id in Membership.objects.values_list("user_id", "agency_id"):
        agencies_per_user.setdefault(user_id, set()).add(agency_id)
    assert any(len(agencies) >= 2 for agencies in agencies_per_user.values())


def test_everything_was_written_through_the_services(demo):
    def events(action):
        return AuditEvent.objects.filter(action=action).count()

    assert events("agency.create") == Agency.objects.count()
    assert events("department.create") == Department.objects.count()
    assert events("agency.deactivate") == Agency.objects.filter(is_active=False).count()
    assert events("user.create") == User.objects.count()
    assert events("membership.grant") == Membership.objects.count()


def test_the_printed_logins_name_every_persona(output):
    for user in data.DEMO_USERS:
        assert login_row(output, user.username)[1] == data.DEMO_PASSWORD
    # one line per role: the seconded civil servant appears twice
    assert sum(line.startswith("canbo.stp ") for line in output.splitlines()) == 2


@pytest.mark.parametrize("username", ["thuky.stp", "giamsat", "thuky.snv", "thutruong.tanphong"])
def test_people_sign_in_with_the_printed_password(output, client, username):
    """On the sign-in page, as a newcomer would: personas and the keepers of other agencies."""
    password = login_row(output, "thuky.stp")[1]
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.username == username


def test_every_agency_that_started_its_qms_has_a_secretary_and_a_head(demo):
    started = [a for a in Agency.objects.filter(is_active=True) if qms_started(a)]
    assert len(started) >= 75
    for agency in started:
        keepers = demo.context.keepers[agency.code]
        assert keepers.secretary != keepers.head, agency.code
        assert keepers.head.full_name == agency.head_name, agency.code
    snv = demo.context.keepers["SNV"]
    assert (snv.secretary.username, snv.head.username) == ("thuky.snv", "thutruong.snv")
    assert snv.head.position == "Giám đốc Sở Nội vụ"
    assert snv.secretary.memberships.get().department.name == "Văn phòng"
    commune = demo.context.keepers["XA-TAN-PHONG"].secretary
    assert commune.position == "Công chức Văn phòng HĐND và UBND"
    # appointed when the agency was set up: the communes on 01/07/2025
    assert commune.memberships.get().started_on == data.COMMUNES_ACTIVE_FROM


def test_agencies_that_have_not_started_have_nobody_to_remind(demo):
    """Reminders to them reach no one (issue 7, A7): the demo shows that case too."""
    idle = [a for a in Agency.objects.filter(is_active=True) if not qms_started(a)]
    assert 3 <= len(idle) <= 12
    assert not Membership.objects.filter(
        agency__in=idle, role__in=(Role.ISO_SECRETARY, Role.HEAD), is_active=True
    ).exists()


def test_the_people_step_says_how_to_sign_in_as_a_keeper(demo):
    totals = report(demo, "people").totals
    assert str(User.objects.count()) in totals and "thuky." in totals


def test_keepers_get_readable_names():
    assert keeper_slug(Agency(code="XA-BINH-LOC")) == "binhloc"
    assert keeper_slug(Agency(code="VP-UBND")) == "vpubnd"
    assert head_position(Agency(head_title="Chánh Thanh tra", short_name="Thanh tra tỉnh")) == (
        "Chánh Thanh tra tỉnh"
    )
    assert head_position(Agency(head_title="Trưởng ban", short_name="Ban Thi đua")) == (
        "Trưởng Ban Thi đua"
    )
    assert head_position(Agency(head_title="Chủ tịch", short_name="UBND xã An Phú")) == (
        "Chủ tịch UBND xã An Phú"
    )


def test_every_keeper_user_name_is_unique(demo):
    agencies = keeper_agencies(demo.context)
    names = [keeper_slug(a) for a in agencies]
    assert len(set(names)) == len(names) == len(agencies)


def test_place_names_are_unique_and_always_the_same():
    wards, communes = place_names()
    assert (len(wards), len(communes)) == (data.WARD_COUNT, data.COMMUNE_COUNT)
    folded = [vn_fold(name) for name in [*wards, *communes]]
    assert len(set(folded)) == len(folded)
    assert place_names() == (wards, communes)
    assert wards[:2] == list(data.FEATURED_WARDS)
    assert communes[0] == "An Phú"
