import datetime
import uuid

import pytest
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.audit import audit_record
from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract


def events_url():
    return reverse("api:audit-event-list")


def event_url(event):
    return reverse("api:audit-event-detail", args=[event.pk])


def event_in(agency, **fields):
    return audit_record(
        actor=None,
        action=fields.pop("action", "test.event"),
        agency=agency,
        object_type=fields.pop("object_type", "test.thing"),
        reason=fields.pop("reason", f"r{uuid.uuid4().hex[:12]}"),
        **fields,
    )


@pytest.mark.django_db
class TestAuditApiIsolation(IsolationContract):
    """The audit trail is read by overseers in their subtree: ``dung`` (P) reads A's events,
    not C's; ``em`` (Q) gets 404 on A's. Nobody changes it (405, tested below)."""

    api = True
    viewer = "dung"
    foreign = "C"
    outsider = "em"

    def make(self, world, agency):
        return event_in(agency)

    def list_url(self):
        return events_url()

    def marker(self, obj):
        return obj.reason

    def read_urls(self, obj):
        return [event_url(obj)]


@pytest.mark.django_db
def test_audit_list_query_count_does_not_grow_with_rows(world, as_token, django_assert_num_queries):
    client = as_token(world.dung)
    event_in(world.A)
    with django_assert_num_queries(4):  # token + user, memberships (scope), count, page
        response = client.get(events_url())
    assert response.json()["count"] == 1
    for _ in range(20):
        event_in(world.B)
    with django_assert_num_queries(4):
        response = client.get(events_url())
    assert response.json()["count"] == 21
    assert {row["agency_code"] for row in response.json()["results"]} == {"A", "B"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["an", "binh"])
def test_agency_people_cannot_read_the_audit_trail(world, as_token, persona):
    event = event_in(world.A)
    client = as_token(world.persona(persona))
    assert_error_shape(client.get(events_url()), 403, "permission_denied")
    assert_error_shape(client.get(event_url(event)), 404, "not_found")


@pytest.mark.django_db
def test_events_without_an_agency_are_for_administrators_only(world, as_token):
    event = event_in(None)
    assert_error_shape(as_token(world.dung).get(event_url(event)), 404)
    assert as_token(world.quan).get(event_url(event)).json()["agency"] is None


@pytest.mark.django_db
def test_the_audit_trail_is_read_only(world, as_token):
    event = event_in(world.A)
    client = as_token(world.quan)
    assert_error_shape(client.post(events_url(), {}, format="json"), 405)
    assert_error_shape(client.patch(event_url(event), {"reason": "x"}, format="json"), 405)
    assert_error_shape(client.delete(event_url(event)), 405)
    event.refresh_from_db()
    assert AuditEvent.objects.filter(pk=event.pk, reason=event.reason).exists()


@pytest.mark.django_db
def test_audit_filters(world, as_token):
    client = as_token(world.dung)
    update = audit_record(
        actor=world.an, action="agency.update", obj=world.A, agency=world.A, changes={"x": [1, 2]}
    )
    create = audit_record(actor=world.chi, action="agency.create", obj=world.B, agency=world.B)
    old = event_in(world.A, action="agency.update")
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2020, 5, 1, tzinfo=datetime.UTC)
    )

    def ids(**params):
        response = client.get(events_url(), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(agency=world.B.pk) == {create.pk}
    assert ids(username="AN") == {update.pk}
    assert ids(action="agency.update") == {update.pk, old.pk}
    assert ids(action="agency.") == {update.pk, create.pk, old.pk}
    assert ids(object_type="organizations.agency", object_id=str(world.B.pk)) == {create.pk}
    assert ids(date_to="2020-12-31") == {old.pk}
    assert old.pk not in ids(date_from="2021-01-01")
    detail = client.get(event_url(update)).json()
    assert detail["actor"] == world.an.pk and detail["changes"] == {"x": [1, 2]}


@pytest.mark.django_db
def test_bad_audit_filters_are_refused(world, as_token):
    client = as_token(world.dung)
    error = assert_error_shape(client.get(events_url(), {"date_from": "31/12/2020"}), 400)
    assert "date_from" in error["fields"]
    error = assert_error_shape(client.get(events_url(), {"agency": world.C.pk}), 400)
    assert "agency" in error["fields"]
