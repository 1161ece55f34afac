import io
import re

import pytest
from django.urls import reverse

from eiso.accounts.models import Membership, User
from eiso.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from eiso.core.models import AuditEvent
from eiso.core.roles import Role
from eiso.core.testing import IsolationContract


@pytest.mark.django_db
class TestUserPagesIsolation(IsolationContract):
    """User management: admins everywhere, an ISO secretary for their own agency. Overseers do
    not manage users, so for this resource the 'overseer' part is played by the admin of
    province P reading, and ``dung`` must get 404 like any outsider."""

    overseer = "quan"
    outside_overseer_agency = "A"  # the admin reaches everything: use A on both sides

    def make(self, world, agency):
        user = UserFactory(full_name=f"Người của {agency.code}")
        MembershipFactory(user=user, agency=agency, role=Role.STAFF)
        return user

    def list_url(self):
        return reverse("accounts:user_list")

    def marker(self, obj):
        return obj.username

    def read_urls(self, obj):
        return [
            reverse("accounts:user_detail", args=[obj.pk]),
            reverse("accounts:user_edit", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        membership = obj.memberships.get()
        return [
            (
                "post",
                reverse("accounts:user_edit", args=[obj.pk]),
                {"full_name": "Đổi tên", "is_active": "on"},
            ),
            ("post", reverse("accounts:membership_end", args=[membership.pk]), {}),
            (
                "post",
                reverse("accounts:membership_grant", args=[obj.pk]),
                {"agency": obj.memberships.get().agency_id, "role": "auditor"},
            ),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            reverse("accounts:user_create"),
            {"username": "moi", "full_name": "Người Mới", "agency": agency.pk, "role": "staff"},
        )

    def count(self):
        return User.objects.count()

    def test_overseer_reads_the_subtree_and_nothing_outside(self, client, world):
        """The admin reads every user; the overseer ``dung`` does not manage users at all."""
        obj = self.make(world, world.A)
        client.force_login(world.quan)
        assert client.get(reverse("accounts:user_detail", args=[obj.pk])).status_code == 200
        client.force_login(world.dung)
        assert client.get(reverse("accounts:user_detail", args=[obj.pk])).status_code == 404
        assert client.get(reverse("accounts:user_list")).status_code == 404

    def test_overseer_cannot_change(self, client, world):
        obj = self.make(world, world.A)
        client.force_login(world.dung)
        for method, url, data in self.change_requests(obj):
            assert getattr(client, method)(url, data).status_code == 404


@pytest.mark.django_db
def test_secretary_creates_staff_in_own_agency_and_it_is_audited(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "hoa",
            "full_name": "Nguyễn Thị Hoa",
            "agency": world.A.pk,
            "role": "staff",
            "email": "hoa@stp.gov.vn",
        },
    )
    assert response.status_code == 302
    hoa = User.objects.get(username="hoa")
    assert not hoa.has_usable_password()  # she sets it from the e-mailed link
    assert hoa.memberships.get().agency == world.A
    assert AuditEvent.objects.filter(
        action="user.create", object_id=str(hoa.pk), actor=world.an
    ).exists()
    assert AuditEvent.objects.filter(action="membership.grant", agency=world.A).exists()


def _department_options(response) -> list[str]:
    html = response.content.decode()
    select = html.split('name="department"')[1].split("</select>")[0]
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)


@pytest.mark.django_db
def test_the_department_list_offers_only_the_chosen_agencys(client, world):
    from eiso.organizations.tests.factories import DepartmentFactory

    DepartmentFactory(agency=world.A, name="Phòng Hành chính")
    tu_phap = DepartmentFactory(agency=world.A, name="Phòng Bổ trợ tư pháp")
    DepartmentFactory(agency=world.A, name="Phòng đã giải thể", is_active=False)
    other = DepartmentFactory(agency=world.B, name="Phòng Kế hoạch")
    DepartmentFactory(agency=world.C, name="Phòng của tỉnh khác")
    url = reverse("accounts:user_create")
    # the province's administrator manages every department of A and B; the form starts on the
    # province itself, which has none, and lists only the chosen agency's active ones
    client.force_login(world.quan)
    page = client.get(url)
    assert _department_options(page) == []
    assert 'data-departments-of="agency"' in page.content.decode()
    data = {"username": "hoa", "full_name": "Nguyễn Thị Hoa", "email": "hoa@stp.gov.vn"}
    data |= {"agency": world.A.pk, "role": "staff", "department": other.pk}
    refused = client.post(url, data)
    assert refused.status_code == 200 and refused.context["form"].errors["department"]
    assert _department_options(refused) == ["Phòng Bổ trợ tư pháp", "Phòng Hành chính"]
    assert 'value="Nguyễn Thị Hoa"' in refused.content.decode()
    assert client.post(url, {**data, "department": tu_phap.pk}).status_code == 302
    assert Membership.objects.get(user__username="hoa").department == tu_phap
    # A's secretary starts on A: its departments are listed at once
    client.force_login(world.an)
    assert _department_options(client.get(url)) == ["Phòng Bổ trợ tư pháp", "Phòng Hành chính"]
    # a posted agency that is not a number lists nothing and is refused
    refused = client.post(url, {**data, "username": "lan", "agency": "A"})
    assert refused.context["form"].errors["agency"] and _department_options(refused) == []
    # granting another role on a person's page starts on their agency, its departments listed;
    # refused, the grant form lists the posted agency's
    client.force_login(world.quan)
    person = reverse("accounts:user_detail", args=[world.binh.pk])
    page = client.get(person)
    assert page.context["grant_form"]["agency"].value() == world.A.pk
    assert _department_options(page) == ["Phòng Bổ trợ tư pháp", "Phòng Hành chính"]
    grant = reverse("accounts:membership_grant", args=[world.binh.pk])
    refused = client.post(grant, {"agency": world.B.pk, "role": "staff", "department": tu_phap.pk})
    assert refused.context["grant_form"].errors["department"]
    assert _department_options(refused) == ["Phòng Kế hoạch"]


@pytest.mark.django_db
def test_secretary_cannot_grant_admin_or_overseer(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "sep",
            "full_name": "Người Lạ",
            "email": "sep@stp.gov.vn",
            "agency": world.A.pk,
            "role": "admin",
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="sep").exists()


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "an",
            "full_name": "Tên Đã Gõ",
            "email": "ten@stp.gov.vn",
            "agency": world.A.pk,
            "role": "staff",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get("username")
    assert "Tên Đã Gõ" in response.content.decode()


@pytest.mark.django_db
def test_a_user_name_with_spaces_or_markup_is_refused(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "<b>yeu</b> ",
            "full_name": "Tên Lạ",
            "email": "yeu@stp.gov.vn",
            "agency": world.A.pk,
            "role": "staff",
        },
    )
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(full_name="Tên Lạ").exists()


@pytest.mark.django_db
def test_user_list_query_count_does_not_grow(client, world, django_assert_num_queries):
    client.force_login(world.quan)
    url = reverse("accounts:user_list")
    # session, user, memberships, unread notifications, count, page, prefetch (the agency is
    # typed, not listed)
    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(15):
        MembershipFactory(agency=world.B)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 8 + 15  # the personas + 15


@pytest.mark.django_db
def test_secretary_cannot_edit_someone_who_also_works_elsewhere(client, world):
    MembershipFactory(user=world.binh, agency=world.B, role=Role.STAFF)
    client.force_login(world.an)
    response = client.post(
        reverse("accounts:user_edit", args=[world.binh.pk]), {"full_name": "Đổi", "is_active": "on"}
    )
    assert response.status_code == 200
    world.binh.refresh_from_db()
    assert world.binh.full_name == "Lê Văn Bình"


@pytest.mark.django_db
def test_ending_a_role_keeps_the_row_and_removes_access(client, world):
    membership = world.binh.memberships.get()
    client.force_login(world.quan)  # an administrator's act
    client.post(reverse("accounts:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active and membership.ended_on is not None
    client.force_login(world.binh)
    assert client.get(reverse("organizations:detail", args=[world.A.pk])).status_code == 404


@pytest.mark.django_db
def test_switching_membership_changes_the_acting_role(client, world):
    extra = MembershipFactory(user=world.dung, agency=world.A, role=Role.ISO_SECRETARY)
    client.force_login(world.dung)
    response = client.get(reverse("dashboard:home"))
    assert response.context["active_membership"].role == Role.OVERSEER
    client.post(reverse("accounts:switch"), {"membership": extra.pk, "next": "/"})
    response = client.get(reverse("dashboard:home"))
    assert response.context["active_membership"] == extra
    urls = [i.url_name for items in response.context["nav_sections"].values() for i in items]
    assert "organizations:list" not in urls and "accounts:user_list" in urls


@pytest.mark.django_db
def test_switching_to_someone_elses_membership_is_404(client, world):
    client.force_login(world.dung)
    other = world.an.memberships.get()
    assert client.post(reverse("accounts:switch"), {"membership": other.pk}).status_code == 404


@pytest.mark.django_db
def test_switch_refuses_an_offsite_redirect(client, world):
    client.force_login(world.dung)
    mine = world.dung.memberships.get()
    response = client.post(
        reverse("accounts:switch"), {"membership": mine.pk, "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard:home")


@pytest.mark.django_db
def test_user_import_reports_bad_rows_and_saves_nothing(client, world):
    client.force_login(world.an)
    content = (
        "Tên đăng nhập,Họ và tên,Mã đơn vị,Vai trò,Thư điện tử\n"
        "lan,Phạm Thị Lan,A,Cán bộ,lan@stp.gov.vn\n"
        "minh,Trần Minh,B,Cán bộ,\n"  # another agency: unknown to the secretary of A
        "khoa,Lê Khoa,A,quan tri he thong,\n"  # a role a secretary cannot grant
        "lan,Trùng Tên,A,staff,khong-phai-email\n"
    ).encode()
    upload = io.BytesIO(content)
    upload.name = "users.csv"
    response = client.post(reverse("accounts:user_import"), {"file": upload})
    report = response.context["report"]
    assert [e.column for e in report.errors_for(3)] == ["agency_code"]
    assert [e.column for e in report.errors_for(4)] == ["role"]
    assert {e.column for e in report.errors_for(5)} == {"username", "email"}
    assert report.errors_for(2) == []
    assert not User.objects.filter(username__in=["lan", "minh", "khoa"]).exists()


@pytest.mark.django_db
def test_user_import_applies_with_departments(client, world):
    from eiso.organizations.tests.factories import DepartmentFactory

    DepartmentFactory(agency=world.A, name="Phòng Hành chính tư pháp")
    client.force_login(world.an)
    content = "username,full_name,agency_code,role,department\nlan,Phạm Thị Lan,A,staff,phong hanh chinh tu phap\n"
    upload = io.BytesIO(content.encode())
    upload.name = "users.csv"
    response = client.post(reverse("accounts:user_import"), {"file": upload})
    assert response.context["report"].ok
    client.post(reverse("accounts:user_import"), {"batch": response.context["batch"].pk})
    membership = Membership.objects.get(user__username="lan")
    assert membership.department.name == "Phòng Hành chính tư pháp"


@pytest.mark.django_db
def test_login_page_is_vietnamese_and_login_works(client, world):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "an", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client, world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "an", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "an", "password": PASSWORD})
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_mail_for_a_known_address(client, world, mailoutbox):
    world.an.email = "an@stp.gov.vn"
    world.an.save()
    client.post(reverse("accounts:password_reset"), {"email": "an@stp.gov.vn"})
    assert len(mailoutbox) == 1 and "an@stp.gov.vn" in mailoutbox[0].to
