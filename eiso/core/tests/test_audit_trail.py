import pytest
from django.urls import reverse

from eiso.core.audit import audit_record, changes_between
from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract
from eiso.organizations.services import agency_update


@pytest.mark.django_db
class TestAuditTrailIsolation(IsolationContract):
    """The audit trail is for admins and overseers (their subtree)."""

    viewer = "dung"
    foreign = "C"
    outsider = "em"

    def make(self, world, agency):
        return audit_record(
            actor=world.quan,
            action="test.event",
            obj=agency,
            agency=agency,
            reason=f"sự kiện của {agency.code}",
        )

    def list_url(self):
        return reverse("core:audit_list")

    def marker(self, obj):
        return obj.reason

    def read_urls(self, obj):
        return [
            f"{reverse('core:audit_list')}?object_type={obj.object_type}&object_id={obj.object_id}"
        ]

    def test_outsider_gets_404_on_every_read_and_change(self, client, world):
        """The list filtered to another province's object shows nothing of it."""
        obj = self.make(world, world.A)
        client.force_login(world.em)
        response = client.get(self.read_urls(obj)[0])
        assert response.status_code == 200
        assert obj.reason not in response.content.decode()

    def test_overseer_reads_the_subtree_and_nothing_outside(self, client, world):
        inside, outside = self.make(world, world.A), self.make(world, world.C)
        client.force_login(world.dung)
        body = client.get(self.list_url()).content.decode()
        assert inside.reason in body and outside.reason not in body


@pytest.mark.django_db
def test_staff_and_secretaries_cannot_open_the_audit_trail(client, world):
    for persona in (world.binh, world.an):
        client.force_login(persona)
        assert client.get(reverse("core:audit_list")).status_code == 404


@pytest.mark.django_db
def test_a_change_made_without_a_request_is_audited_with_its_diff(world):
    agency_update(
        actor=world.quan, agency=world.A, data={"name": "Sở Tư pháp (mới)"}, reason="Đổi tên"
    )
    event = AuditEvent.objects.get(action="agency.update")
    assert event.changes == {"name": ["Sở Tư pháp tỉnh Phú An", "Sở Tư pháp (mới)"]}
    assert event.actor == world.quan and event.remote_addr is None and event.reason == "Đổi tên"
    assert event.agency == world.A  # filed under the agency, so its overseers see it


@pytest.mark.django_db
def test_filters_and_export(client, world):
    audit_record(actor=world.an, action="agency.update", obj=world.A, agency=world.A)
    audit_record(actor=world.chi, action="agency.update", obj=world.B, agency=world.B)
    client.force_login(world.dung)
    response = client.get(reverse("core:audit_list"), {"person": "an"})
    assert [e.actor for e in response.context["object_list"]] == [world.an]
    response = client.get(reverse("core:audit_list"), {"agency": world.B.pk})
    assert [e.agency for e in response.context["object_list"]] == [world.B]
    response = client.get(reverse("core:audit_list"), {"date_from": "31/12/2999"})
    assert list(response.context["object_list"]) == []
    response = client.get(reverse("core:audit_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_audit_list_query_count_does_not_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    url = reverse("core:audit_list")
    audit_record(actor=world.an, action="x", obj=world.A, agency=world.A)
    # session, user, memberships, unread notifications, count, page (the agency filter renders
    # no list of agencies: eiso.core.fields.AgencyField)
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(20):
        audit_record(actor=world.an, action="x", obj=world.A, agency=world.A)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 21


def test_changes_between_lists_only_changed_fields():
    assert changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": [2, 3],
        "c": [None, 4],
    }


@pytest.mark.django_db
def test_every_agency_and_user_change_is_filed_under_an_agency(client, world):
    """Overseers see the history of agencies in their subtree, including the agency's own."""
    from eiso.accounts.services import user_send_password_link, user_update
    from eiso.organizations.services import agency_deactivate, agency_reactivate

    agency_update(actor=world.quan, agency=world.A, data={"phone": "0290 3822 111"})
    agency_deactivate(actor=world.quan, agency=world.A, reason="Sáp nhập")
    agency_reactivate(actor=world.quan, agency=world.A)
    user_update(actor=world.an, user=world.binh, data={"position": "Chuyên viên"})
    world.binh.email = "binh@stp.example"
    world.binh.save(update_fields=["email"])
    user_send_password_link(actor=world.an, user=world.binh)
    assert not AuditEvent.objects.filter(agency__isnull=True).exists()
    client.force_login(world.dung)
    response = client.get(reverse("core:audit_list"), {"agency": world.A.pk})
    actions = {e.action for e in response.context["object_list"]}
    assert {
        "agency.update",
        "agency.deactivate",
        "agency.reactivate",
        "user.update",
        "user.password_link",
    } <= actions
