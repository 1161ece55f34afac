"""The merge and split endpoints (the services are tested in
eiso/organizations/tests/test_reorganization.py)."""

import pytest
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import kind
from eiso.organizations.tests.test_reorganization import REASON, _state


@pytest.mark.django_db
def test_the_api_merges_and_splits(world, as_token):
    response = as_token(world.quan).post(
        reverse("api:agency-merge"),
        {"sources": [world.B.pk], "into": world.A.pk, "on": "2025-07-01", "reason": REASON},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "A"
    response = as_token(world.quan).post(
        reverse("api:agency-split"),
        {
            "source": world.A.pk,
            "parts": [
                {"code": "SO-TP", "name": "Sở Tư pháp"},
                {"code": "SO-YT", "name": "Sở Y tế"},
            ],
            "on": "2025-08-01",
            "reason": REASON,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [p["code"] for p in response.json()] == ["SO-TP", "SO-YT"]
    assert Agency.objects.get(pk=world.A.pk).successor.code == "SO-TP"


@pytest.mark.django_db
def test_the_api_refuses_agencies_outside_the_scope_like_unknown_ones(world, as_token):
    before = _state()
    response = as_token(world.em).post(
        reverse("api:agency-merge"),
        {
            "sources": [world.A.pk, world.B.pk],
            "into": world.C.pk,
            "on": "2025-07-01",
            "reason": "x",
        },
        format="json",
    )
    assert_error_shape(response, 400)
    response = as_token(world.dung).post(  # the province's own overseer does not reorganise
        reverse("api:agency-merge"),
        {"sources": [world.B.pk], "into": world.A.pk, "on": "2025-07-01", "reason": "x"},
        format="json",
    )
    assert_error_shape(response, 400)
    response = as_token(world.an).post(
        reverse("api:agency-split"),
        {
            "source": world.A.pk,
            "parts": [{"code": "X1", "name": "X1"}, {"code": "X2", "name": "X2"}],
            "on": "2025-07-01",
            "reason": "x",
        },
        format="json",
    )
    assert_error_shape(response, 400)
    assert _state() == before


@pytest.mark.django_db
def test_kind_is_taken_from_the_payload_for_a_new_agency(world, as_token):
    response = as_token(world.quan).post(
        reverse("api:agency-merge"),
        {
            "sources": [world.A.pk, world.B.pk],
            "new": {"code": "UB-MOI", "name": "Ủy ban mới", "kind": "ubnd_xa"},
            "on": "2025-07-01",
            "reason": REASON,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Agency.objects.get(code="UB-MOI").kind == kind("ubnd_xa")
