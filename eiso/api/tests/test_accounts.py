import uuid

import pytest
from django.urls import reverse

from eiso.accounts.models import Membership, User
from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.api.tests.helpers import assert_error_shape
from eiso.core.models import AuditEvent
from eiso.core.roles import Role
from eiso.core.testing import IsolationContract
from eiso.organizations.tests.factories import DepartmentFactory


def users_url():
    return reverse("api:user-list")


def user_url(user):
    return reverse("api:user-detail", args=[user.pk])


def memberships_url():
    return reverse("api:membership-list")


def membership_url(membership):
    return reverse("api:membership-detail", args=[membership.pk])


def member_of(agency, role=Role.STAFF, **user_fields):
    user = UserFactory(username=f"u{uuid.uuid4().hex[:12]}", **user_fields)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


@pytest.mark.django_db
class TestUserApiIsolation(IsolationContract):
    """People are managed by their agency's ISO secretary. Nobody reads them without managing
    them (overseers get 404, see below), so the contract's "reads the home agency, not
    elsewhere" part is played by ``an`` (A, not B); overseers are tested apart."""

    api = True
    overseer = "an"
    outside_overseer_agency = "B"
    overseer_may_change = True

    def make(self, world, agency):
        return member_of(agency)

    def list_url(self):
        return users_url()

    def marker(self, obj):
        return obj.username

    def read_urls(self, obj):
        return [user_url(obj)]

    def change_requests(self, obj):
        return [("patch", user_url(obj), {"full_name": "Đổi tên"})]

    def create_request(self, world, agency):
        return (
            "post",
            users_url(),
            {"username": "moi", "full_name": "Người mới", "agency": agency.pk, "role": "staff"},
        )

    def count(self):
        return User.objects.count()


@pytest.mark.django_db
class TestMembershipApiIsolation(IsolationContract):
    """Roles, managed like people (see TestUserApiIsolation for the personas)."""

    api = True
    overseer = "an"
    outside_overseer_agency = "B"
    overseer_may_change = True

    def make(self, world, agency):
        return Membership.objects.get(user=member_of(agency))

    def list_url(self):
        return memberships_url()

    def marker(self, obj):
        return obj.user.username

    def read_urls(self, obj):
        return [membership_url(obj)]

    def change_requests(self, obj):
        return [("post", reverse("api:membership-end", args=[obj.pk]), {"reason": "x"})]

    def create_request(self, world, agency):
        return (
            "post",
            memberships_url(),
            {"user": world.binh.pk, "agency": agency.pk, "role": "staff"},
        )

    def count(self):
        return Membership.objects.count()


# --- who may use these endpoints --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["binh", "dung"])
def test_people_who_manage_nobody_get_403_on_lists_and_404_on_details(world, as_token, persona):
    client = as_token(world.persona(persona))
    for url in (users_url(), memberships_url()):
        assert_error_shape(client.get(url), 403, "permission_denied")
    membership = Membership.objects.get(user=world.binh)
    for url in (user_url(world.binh), user_url(world.persona(persona)), membership_url(membership)):
        assert_error_shape(client.get(url), 404, "not_found")
    before = User.objects.count()
    response = client.post(
        users_url(),
        {"username": "lan", "full_name": "Lan", "agency": world.A.pk, "role": "staff"},
        format="json",
    )
    assert_error_shape(response, 403)
    assert User.objects.count() == before
    response = client.patch(user_url(world.binh), {"full_name": "Đổi"}, format="json")
    assert_error_shape(response, 404)
    response = client.post(reverse("api:membership-end", args=[membership.pk]), format="json")
    assert_error_shape(response, 404)
    world.binh.refresh_from_db()
    membership.refresh_from_db()
    assert world.binh.full_name == "Lê Văn Bình" and membership.is_active


@pytest.mark.django_db
def test_an_administrator_manages_everyone(world, as_token):
    client = as_token(world.quan)
    usernames = {row["username"] for row in client.get(users_url()).json()["results"]}
    assert {"an", "binh", "chi", "cuong", "dung", "em", "quan"} <= usernames
    assert client.get(user_url(world.cuong)).status_code == 200


# --- users -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_list_query_count_does_not_grow_with_rows(world, as_token, django_assert_num_queries):
    client = as_token(world.an)
    # token + user, memberships (scope), count, page, the page's memberships
    with django_assert_num_queries(5):
        response = client.get(users_url())
    assert response.json()["count"] == 3  # an, binh, hai
    for _ in range(20):
        member_of(world.A)
    with django_assert_num_queries(5):
        response = client.get(users_url())
    assert response.json()["count"] == 23
    assert all(row["memberships"][0]["agency_code"] == "A" for row in response.json()["results"])


@pytest.mark.django_db
def test_users_never_show_a_password(world, as_token):
    client = as_token(world.quan)
    detail = client.get(user_url(world.an))
    listing = client.get(users_url())
    for response in (detail, listing):
        assert response.status_code == 200
        text = response.content.decode()
        assert "password" not in text and world.an.password not in text
    assert detail.json()["memberships"] == [
        {
            "id": Membership.objects.get(user=world.an).pk,
            "agency": world.A.pk,
            "agency_code": "A",
            "role": "iso_secretary",
            "department": None,
            "title": "",
            "started_on": None,
        }
    ]


@pytest.mark.django_db
def test_secretary_creates_a_user_in_own_agency(world, as_token):
    department = DepartmentFactory(agency=world.A, name="Văn phòng")
    response = as_token(world.an).post(
        users_url(),
        {
            "username": "lan",
            "full_name": "Nguyễn Thị Lan",
            "email": "lan@stp.gov.vn",
            "agency": world.A.pk,
            "role": "staff",
            "department": department.pk,
            "title": "Chuyên viên",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "password" not in response.content.decode()
    lan = User.objects.get(username="lan")
    assert not lan.has_usable_password(), "the person sets it from the e-mailed link"
    assert response.json()["memberships"][0]["department"] == department.pk
    membership = Membership.objects.get(user=lan)
    assert (membership.agency, membership.role, membership.title) == (
        world.A,
        "staff",
        "Chuyên viên",
    )
    assert AuditEvent.objects.filter(action="user.create", object_id=str(lan.pk)).exists()


@pytest.mark.django_db
def test_a_new_user_cannot_sign_in_until_they_set_their_password(
    world, as_token, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_token(world.an).post(
            users_url(),
            {
                "username": "lan",
                "full_name": "Lan",
                "email": "lan@stp.gov.vn",
                "agency": world.A.pk,
                "role": "staff",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    assert not User.objects.get(username="lan").has_usable_password()
    assert [m.to for m in mailoutbox] == [["lan@stp.gov.vn"]]


@pytest.mark.django_db
def test_a_secretary_cannot_create_an_administrator(world, as_token):
    before = (User.objects.count(), Membership.objects.count())
    response = as_token(world.an).post(
        users_url(),
        {
            "username": "sep",
            "full_name": "Sếp",
            "email": "sep@stp.gov.vn",
            "agency": world.A.pk,
            "role": "admin",
        },
        format="json",
    )
    assert "role" in assert_error_shape(response, 400, "validation_failed")["fields"]
    assert (User.objects.count(), Membership.objects.count()) == before


@pytest.mark.django_db
def test_a_password_or_a_taken_username_is_refused(world, as_token):
    client = as_token(world.an)
    before = User.objects.count()
    typed = client.post(
        users_url(),
        {
            "username": "lan",
            "full_name": "Lan",
            "email": "lan@stp.gov.vn",
            "password": "Mot-mat-khau-dai-2026",
            "agency": world.A.pk,
            "role": "staff",
        },
        format="json",
    )
    assert assert_error_shape(typed, 400)["fields"]["password"]
    taken = client.post(
        users_url(),
        {
            "username": "BINH",
            "full_name": "Bình 2",
            "email": "binh2@stp.gov.vn",
            "agency": world.A.pk,
            "role": "staff",
        },
        format="json",
    )
    assert assert_error_shape(taken, 400)["fields"]["username"]
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_department_of_another_agency_is_refused(world, as_token):
    foreign = DepartmentFactory(agency=world.B)
    response = as_token(world.an).post(
        users_url(),
        {
            "username": "lan",
            "full_name": "Lan",
            "agency": world.A.pk,
            "role": "staff",
            "department": foreign.pk,
        },
        format="json",
    )
    assert "department" in assert_error_shape(response, 400)["fields"]
    assert not User.objects.filter(username="lan").exists()


@pytest.mark.django_db
def test_secretary_changes_and_deactivates_a_user_of_own_agency(world, as_token):
    response = as_token(world.an).patch(
        user_url(world.binh), {"position": "Phó phòng", "is_active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["position"] == "Phó phòng"
    world.binh.refresh_from_db()
    assert not world.binh.is_active
    assert AuditEvent.objects.filter(action="user.update", object_id=str(world.binh.pk)).exists()


@pytest.mark.django_db
def test_secretary_cannot_change_someone_who_also_works_elsewhere(world, as_token):
    MembershipFactory(user=world.binh, agency=world.B)
    response = as_token(world.an).patch(user_url(world.binh), {"full_name": "X"}, format="json")
    assert_error_shape(response, 403, "not_permitted")
    world.binh.refresh_from_db()
    assert world.binh.full_name == "Lê Văn Bình"


@pytest.mark.django_db
def test_users_cannot_be_replaced_with_put(world, as_token):
    response = as_token(world.quan).put(user_url(world.binh), {"full_name": "X"}, format="json")
    assert_error_shape(response, 405, "method_not_allowed")


@pytest.mark.django_db
def test_user_list_filters(world, as_token):
    client = as_token(world.quan)
    old = member_of(world.C, full_name="Trịnh Đức Cũ", is_active=False)

    def usernames(**params):
        response = client.get(users_url(), params)
        assert response.status_code == 200, response.content
        return {row["username"] for row in response.json()["results"]}

    assert usernames(q="hoang van dung") == {"dung"}
    assert usernames(role="overseer") == {"dung", "em"}
    assert usernames(agency=world.Q.pk) == {"em", "cuong", old.username}
    assert usernames(status="inactive") == {old.username}
    assert old.username not in usernames(status="active")
    assert "role" in assert_error_shape(client.get(users_url(), {"role": "king"}), 400)["fields"]


@pytest.mark.django_db
def test_a_secretary_cannot_filter_by_another_agency(world, as_token):
    response = as_token(world.an).get(users_url(), {"agency": world.B.pk})
    assert "agency" in assert_error_shape(response, 400)["fields"]


# --- memberships --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_membership_list_query_count_does_not_grow_with_rows(
    world, as_token, django_assert_num_queries
):
    client = as_token(world.an)
    with django_assert_num_queries(4):  # token + user, memberships (scope), count, page
        response = client.get(memberships_url())
    assert response.json()["count"] == 3  # an, binh, hai
    for _ in range(20):
        member_of(world.A)
    with django_assert_num_queries(4):
        response = client.get(memberships_url())
    assert response.json()["count"] == 23
    assert {row["agency_code"] for row in response.json()["results"]} == {"A"}


@pytest.mark.django_db
def test_membership_list_filters(world, as_token):
    client = as_token(world.quan)
    ended = MembershipFactory(user=world.binh, agency=world.B, is_active=False)

    def ids(**params):
        response = client.get(memberships_url(), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    binh_roles = set(Membership.objects.filter(user=world.binh).values_list("pk", flat=True))
    assert ids(user=world.binh.pk) == binh_roles
    assert ids(user=world.binh.pk, active="false") == {ended.pk}
    assert ended.pk not in ids(user=world.binh.pk, active="true")
    assert ids(agency=world.B.pk) == set(
        Membership.objects.filter(agency=world.B).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_secretary_grants_a_role_in_own_agency(world, as_token):
    department = DepartmentFactory(agency=world.A)
    response = as_token(world.an).post(
        memberships_url(),
        {
            "user": world.binh.pk,
            "agency": world.A.pk,
            "role": "auditor",
            "department": department.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "binh" and response.json()["role"] == "auditor"
    assert Membership.objects.filter(user=world.binh, role="auditor", is_active=True).exists()
    assert AuditEvent.objects.filter(action="membership.grant").exists()


@pytest.mark.django_db
def test_a_secretary_granting_the_admin_role_is_refused(world, as_token):
    before = Membership.objects.count()
    response = as_token(world.an).post(
        memberships_url(),
        {"user": world.binh.pk, "agency": world.A.pk, "role": "admin"},
        format="json",
    )
    assert "role" in assert_error_shape(response, 400, "validation_failed")["fields"]
    assert Membership.objects.count() == before
    assert not Membership.objects.filter(user=world.binh, role="admin").exists()


@pytest.mark.django_db
def test_a_role_for_someone_the_secretary_does_not_manage_is_refused(world, as_token):
    before = Membership.objects.count()
    response = as_token(world.an).post(
        memberships_url(),
        {"user": world.chi.pk, "agency": world.A.pk, "role": "staff"},
        format="json",
    )
    assert "user" in assert_error_shape(response, 400)["fields"]
    assert Membership.objects.count() == before


@pytest.mark.django_db
def test_ending_a_role_keeps_the_record(world, as_token):
    client = as_token(world.quan)  # an administrator's act
    membership = Membership.objects.get(user=world.binh)
    url = reverse("api:membership-end", args=[membership.pk])
    response = client.post(url, {"reason": "Chuyển công tác", "on": "2026-02-01"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["ended_on"] == "2026-02-01"
    membership.refresh_from_db()
    assert not membership.is_active
    assert_error_shape(client.post(url, {}, format="json"), 400, "validation_failed")
    assert AuditEvent.objects.filter(action="membership.end", reason="Chuyển công tác").count() == 1


@pytest.mark.django_db
def test_a_secretary_cannot_end_a_role_not_even_her_own(world, as_token):
    membership = Membership.objects.get(user=world.an)
    response = as_token(world.an).post(
        reverse("api:membership-end", args=[membership.pk]), {}, format="json"
    )
    assert_error_shape(response, 403, "not_permitted")
    membership.refresh_from_db()
    assert membership.is_active
