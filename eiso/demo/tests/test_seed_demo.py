"""``manage.py seed_demo``. Building the province takes a few seconds, so it is built once for
the module (in a transaction rolled back at the end) and every test reads it; only the rerun
test runs the command again."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from eiso.accounts.models import Membership, User
from eiso.core.models import AuditEvent
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.demo import data
from eiso.demo.builders import place_names
from eiso.organizations.models import Agency, Department

pytestmark = pytest.mark.django_db

CLOSED_ON = datetime.date(2025, 6, 30)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker, tmp_path_factory):
    """The output of one run; the province it built stays until the end of the module (its
    document files in a temporary media directory)."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def root(output):
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


def test_every_active_agency_has_departments_a_head_and_contacts(output):
    for agency in Agency.objects.filter(is_active=True).prefetch_related("departments"):
        assert agency.departments.all(), agency.code
        assert agency.head_name and agency.head_title, agency.code
        assert agency.address and agency.phone, agency.code
    assert Department.objects.count() >= 4 * 60


def test_the_head_of_an_agency_is_its_demo_head(output):
    head = Membership.objects.select_related("agency", "user").get(
        role=Role.HEAD, agency__code="STP"
    )
    assert head.agency.head_name == head.user.full_name


def test_there_are_users_for_every_role_with_vietnamese_names(output):
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


def test_someone_holds_roles_in_two_agencies(output):
    agencies_per_user = {}
    for user_id, agency_id in Membership.objects.values_list("user_id", "agency_id"):
        agencies_per_user.setdefault(user_id, set()).add(agency_id)
    assert any(len(agencies) >= 2 for agencies in agencies_per_user.values())


def test_everything_was_written_through_the_services(output):
    def events(action):
        return AuditEvent.objects.filter(action=action).count()

    assert events("agency.create") == Agency.objects.count()
    assert events("department.create") == Department.objects.count()
    assert events("agency.deactivate") == Agency.objects.filter(is_active=False).count()
    assert events("user.create") == User.objects.count()
    assert events("membership.grant") == Membership.objects.count()


def test_the_printed_logins_name_every_demo_user(output):
    for user in User.objects.all():
        assert login_row(output, user.username)[1] == data.DEMO_PASSWORD


def test_a_secretary_can_sign_in_with_the_printed_password(output):
    password = login_row(output, "thuky.stp")[1]
    secretary = User.objects.get(username="thuky.stp")
    assert secretary.memberships.get().role == Role.ISO_SECRETARY
    assert secretary.check_password(password)


def test_running_it_again_changes_nothing(output):
    def counts():
        return [m.objects.count() for m in (Agency, Department, User, Membership, AuditEvent)]

    before = counts()
    again = seed("--quiet")
    assert counts() == before
    assert "thuky.stp" not in again  # --quiet leaves the table out


def test_place_names_are_unique_and_always_the_same():
    wards, communes = place_names()
    assert (len(wards), len(communes)) == (data.WARD_COUNT, data.COMMUNE_COUNT)
    folded = [vn_fold(name) for name in [*wards, *communes]]
    assert len(set(folded)) == len(folded)
    assert place_names() == (wards, communes)
    assert wards[:2] == list(data.FEATURED_WARDS)
    assert communes[0] == "An Phú"
