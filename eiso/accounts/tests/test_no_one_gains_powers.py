"""Issue 8, defect 1: an ISO secretary could take the approver's power — make herself head,
create a second head, set the real head's password, change the head's e-mail or end the head's
role. Each way is closed, on the pages and through the API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eiso.accounts.models import Membership, User
from eiso.accounts.services import membership_end, membership_grant, user_create, user_update
from eiso.accounts.tests.factories import PASSWORD
from eiso.core.errors import NotPermitted
from eiso.core.models import AuditEvent, Notification
from eiso.core.roles import Role


@pytest.fixture
def as_token():
    from rest_framework.test import APIClient

    from eiso.accounts.testing import token_for

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return make


# --- making herself head, or a second head ---------------------------------------------------


@pytest.mark.django_db
def test_a_secretary_cannot_make_herself_head(world):
    with pytest.raises(NotPermitted):
        membership_grant(actor=world.an, user=world.an, agency=world.A, role=Role.HEAD)
    assert not Membership.objects.filter(user=world.an, role=Role.HEAD).exists()


@pytest.mark.django_db
def test_a_secretary_cannot_make_herself_head_on_the_page(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("accounts:membership_grant", args=[world.an.pk]),
        {"agency": world.A.pk, "role": Role.HEAD},
    )
    assert response.status_code == 200
    assert "role" in response.context["grant_form"].errors
    assert not Membership.objects.filter(user=world.an, role=Role.HEAD).exists()


@pytest.mark.django_db
def test_a_secretary_cannot_make_herself_head_through_the_api(world, as_token):
    response = as_token(world.an).post(
        reverse("api:membership-list"),
        {"user": world.an.pk, "agency": world.A.pk, "role": Role.HEAD},
        format="json",
    )
    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]
    assert not Membership.objects.filter(user=world.an, role=Role.HEAD).exists()


@pytest.mark.django_db
def test_a_secretary_cannot_create_a_second_head(client, world, as_token):
    with pytest.raises(NotPermitted):
        user_create(
            actor=world.an,
            username="truong2",
            full_name="Thủ Trưởng Giả",
            agency=world.A,
            role=Role.HEAD,
            email="gia@example.gov.vn",
        )
    client.force_login(world.an)
    page = client.post(
        reverse("accounts:user_create"),
        {
            "username": "truong2",
            "full_name": "Thủ Trưởng Giả",
            "agency": world.A.pk,
            "role": Role.HEAD,
            "email": "gia@example.gov.vn",
        },
    )
    assert "role" in page.context["form"].errors
    assert Role.HEAD not in dict(page.context["form"].fields["role"].choices)
    api = as_token(world.an).post(
        reverse("api:user-list"),
        {
            "username": "truong2",
            "full_name": "Thủ Trưởng Giả",
            "agency": world.A.pk,
            "role": Role.HEAD,
            "email": "gia@example.gov.vn",
        },
        format="json",
    )
    assert api.status_code == 400
    assert not User.objects.filter(username="truong2").exists()


@pytest.mark.django_db
def test_an_administrator_grants_head(world):
    membership = membership_grant(actor=world.quan, user=world.binh, agency=world.A, role="head")
    assert membership.role == Role.HEAD


# --- nobody types another person's password --------------------------------------------------


@pytest.mark.django_db
def test_nobody_sets_another_persons_password_on_the_pages(client, world):
    client.force_login(world.quan)
    create = client.get(reverse("accounts:user_create"))
    assert "password" not in create.context["form"].fields
    edit = client.get(reverse("accounts:user_edit", args=[world.hai.pk]))
    assert 'type="password"' not in edit.content.decode()
    # The old password form is gone: a POST with a password changes nothing.
    client.post(
        reverse("accounts:user_edit", args=[world.hai.pk]), {"password": "Chiem-quyen-2026"}
    )
    world.hai.refresh_from_db()
    assert not world.hai.check_password("Chiem-quyen-2026")


@pytest.mark.django_db
def test_nobody_sets_another_persons_password_through_the_api(world, as_token):
    client = as_token(world.quan)
    created = client.post(
        reverse("api:user-list"),
        {
            "username": "moi",
            "full_name": "Người Mới",
            "agency": world.A.pk,
            "role": "staff",
            "email": "moi@example.gov.vn",
            "password": "Mat-khau-do-nguoi-khac-dat-2026",
        },
        format="json",
    )
    assert created.status_code == 400
    assert "password" in created.json()["error"]["fields"]
    changed = client.patch(
        reverse("api:user-detail", args=[world.hai.pk]),
        {"password": "Chiem-quyen-2026"},
        format="json",
    )
    assert changed.status_code == 400
    world.hai.refresh_from_db()
    assert not world.hai.check_password("Chiem-quyen-2026")


@pytest.mark.django_db
def test_the_service_refuses_a_password_from_a_person(world):
    with pytest.raises(NotPermitted):
        user_create(
            actor=world.quan,
            username="moi",
            full_name="Người Mới",
            agency=world.A,
            role="staff",
            password="Mat-khau-do-nguoi-khac-dat-2026",
        )


@pytest.mark.django_db
def test_a_new_person_gets_a_link_and_sets_their_own_password(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.an)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user_create"),
            {
                "username": "Hoa.Nguyen",
                "full_name": "Nguyễn Thị Hoa",
                "agency": world.A.pk,
                "role": "staff",
                "email": "hoa@stp.gov.vn",
            },
        )
    assert response.status_code == 302
    hoa = User.objects.get(username="hoa.nguyen")
    assert not hoa.has_usable_password()
    assert [m.to for m in mailoutbox] == [["hoa@stp.gov.vn"]]
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Hoa-tu-dat-2026!", "new_password2": "Hoa-tu-dat-2026!"},
    )
    assert done.status_code == 302
    hoa.refresh_from_db()
    assert hoa.check_password("Hoa-tu-dat-2026!")


@pytest.mark.django_db
def test_a_secretary_sends_a_staff_member_a_link_instead_of_a_password(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.an)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_password_link", args=[world.binh.pk]))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[world.binh.email]]
    assert AuditEvent.objects.filter(action="user.password_link", actor=world.an).exists()


@pytest.mark.django_db
def test_forgot_password_works_for_someone_who_never_had_one(client, world, mailoutbox):
    world.binh.set_unusable_password()
    world.binh.save()
    client.post(reverse("accounts:password_reset"), {"email": world.binh.email})
    assert [m.to for m in mailoutbox] == [[world.binh.email]]


# --- the head's e-mail and role ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_secretary_cannot_change_the_heads_email(client, world):
    with pytest.raises(NotPermitted):
        user_update(actor=world.an, user=world.hai, data={"email": "an-ca-hai@example.com"})
    client.force_login(world.an)
    client.post(
        reverse("accounts:user_edit", args=[world.hai.pk]),
        {"full_name": world.hai.full_name, "email": "an-ca-hai@example.com", "is_active": "on"},
    )
    world.hai.refresh_from_db()
    assert world.hai.email != "an-ca-hai@example.com"


@pytest.mark.django_db
def test_a_secretary_cannot_change_a_staff_members_email_either(world):
    with pytest.raises(NotPermitted):
        user_update(actor=world.an, user=world.binh, data={"email": "khac@example.com"})
    user_update(actor=world.an, user=world.binh, data={"phone": "0912 345 678"})
    world.binh.refresh_from_db()
    assert world.binh.phone == "0912 345 678"


@pytest.mark.django_db
def test_changing_another_persons_email_is_an_administrators_act_and_tells_them(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    old = world.hai.email
    with django_capture_on_commit_callbacks(execute=True):
        user_update(actor=world.quan, user=world.hai, data={"email": "hai.moi@stp.gov.vn"})
    world.hai.refresh_from_db()
    assert world.hai.email == "hai.moi@stp.gov.vn"
    note = Notification.objects.get(user=world.hai)
    assert "hai.moi@stp.gov.vn" in note.message and note.url == reverse("accounts:account")
    assert {tuple(m.to) for m in mailoutbox} >= {(old,)}, "the old address hears of it"


@pytest.mark.django_db
def test_a_secretary_cannot_end_the_heads_role(client, world):
    head = world.hai.memberships.get()
    with pytest.raises(NotPermitted):
        membership_end(actor=world.an, membership=head)
    client.force_login(world.an)
    client.post(reverse("accounts:membership_end", args=[head.pk]))
    head.refresh_from_db()
    assert head.is_active


@pytest.mark.django_db
def test_ending_a_role_is_an_administrators_act_and_tells_the_person(world):
    staff = world.binh.memberships.get()
    with pytest.raises(NotPermitted):
        membership_end(actor=world.an, membership=staff)
    membership_end(actor=world.quan, membership=staff, reason="Chuyển công tác")
    staff.refresh_from_db()
    assert not staff.is_active
    note = Notification.objects.get(user=world.binh)
    assert note.url == reverse("accounts:account") and str(world.A) in note.message


@pytest.mark.django_db
def test_a_secretary_cannot_edit_the_head_at_all(world):
    with pytest.raises(NotPermitted):
        user_update(actor=world.an, user=world.hai, data={"is_active": False})
    world.hai.refresh_from_db()
    assert world.hai.is_active


@pytest.mark.django_db
def test_the_head_signs_in_with_their_own_password_only(client, world):
    assert client.login(username="hai", password=PASSWORD)


@pytest.mark.django_db
def test_a_secretary_sees_another_persons_email_but_cannot_change_it(client, world):
    client.force_login(world.an)
    page = client.get(reverse("accounts:user_edit", args=[world.binh.pk]))
    assert page.context["form"].fields["email"].disabled
    response = client.post(
        reverse("accounts:user_edit", args=[world.binh.pk]),
        {
            "full_name": "Lê Văn Bình",
            "email": "khac@example.com",
            "phone": "0901",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.binh.refresh_from_db()
    assert world.binh.email != "khac@example.com" and world.binh.phone == "0901"
    client.force_login(world.quan)
    assert (
        not client.get(reverse("accounts:user_edit", args=[world.binh.pk]))
        .context["form"]
        .fields["email"]
        .disabled
    )
