"""The test world (eiso/core/testing.build_world), written set-based for speed, holds the same
rows as the factories make one by one."""

from __future__ import annotations

import pytest
from django.db import transaction

from eiso.accounts.models import Membership, User
from eiso.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.core.testing import build_world
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory, kind

pytestmark = pytest.mark.django_db


def by_factories() -> None:
    P = AgencyFactory(code="P", name="Ủy ban nhân dân tỉnh Phú An", kind=kind("ubnd_tinh"))
    A = AgencyFactory(code="A", name="Sở Tư pháp tỉnh Phú An", short_name="Sở Tư pháp", parent=P)
    B = AgencyFactory(code="B", name="Sở Y tế tỉnh Phú An", short_name="Sở Y tế", parent=P)
    Q = AgencyFactory(code="Q", name="Ủy ban nhân dân tỉnh Quảng Bình Tây", kind=kind("ubnd_tinh"))
    C = AgencyFactory(code="C", name="Sở Nội vụ tỉnh Quảng Bình Tây", parent=Q)
    for username, full_name, agency, role in [
        ("an", "Trần Thị An", A, Role.ISO_SECRETARY),
        ("binh", "Lê Văn Bình", A, Role.STAFF),
        ("chi", "Phạm Thị Chi", B, Role.ISO_SECRETARY),
        ("dung", "Hoàng Văn Dũng", P, Role.OVERSEER),
        ("em", "Đỗ Thị Em", Q, Role.OVERSEER),
        ("quan", "Vũ Minh Quân", P, Role.ADMIN),
        ("cuong", "Ngô Văn Cường", C, Role.ISO_SECRETARY),
        ("hai", "Đặng Văn Hải", A, Role.HEAD),
    ]:
        user = UserFactory(username=username, full_name=full_name)
        MembershipFactory(user=user, agency=agency, role=role)


def rows() -> dict:
    codes = dict(Agency.objects.values_list("pk", "code"))

    def readable(path: str) -> str:  # ids differ from one build to the other, codes do not
        return "/".join(codes[int(step)] for step in path.strip("/").split("/"))

    agency_fields = ("code", "name", "short_name", "kind__code", "tier", "must_apply", "depth")
    user_fields = (
        "username",
        "full_name",
        "email",
        "search_text",
        "username_skeleton",
        "is_active",
    )
    member_fields = ("user__username", "agency__code", "role", "is_active", "started_on", "title")
    return {
        "agencies": [
            (*values, readable(path), search)
            for *values, path, search in Agency.objects.order_by("pk").values_list(
                *agency_fields, "path", "search_text"
            )
        ],
        "users": list(User.objects.order_by("pk").values_list(*user_fields)),
        "members": list(Membership.objects.order_by("pk").values_list(*member_fields)),
    }


def test_the_world_holds_the_rows_the_factories_make():
    with transaction.atomic():
        by_factories()
        expected = rows()
        transaction.set_rollback(True)
    world = build_world()
    assert rows() == expected and len(expected["agencies"]) == 5 and len(expected["users"]) == 8
    assert all(user.check_password(PASSWORD) for user in User.objects.all())
    assert [world.P.pk, world.A.pk, world.B.pk, world.Q.pk, world.C.pk] == sorted(
        Agency.objects.values_list("pk", flat=True)
    )
