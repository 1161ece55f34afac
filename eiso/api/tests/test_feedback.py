"""The API of satisfaction and feedback: isolation of ratings and complaints, the sender's
contact only for the agency's keepers and the handler, the complaint's workflow and its
refusals in the one error shape, pinned query counts; the public form's endpoints without
sign-in — token, honeypot, duplicates, rate limit (429 in the error shape) — and tracking."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.feedback.models import Complaint, Rating
from eiso.feedback.tests.factories import rate, register, tthc
from eiso.objectives.tests.conftest import at

pytestmark = pytest.mark.usefixtures("june")


@pytest.fixture
def june():
    with time_machine.travel(at(2026, 6, 17), tick=False) as traveller:
        cache.clear()
        yield traveller
        cache.clear()


def url(name, *args):
    return reverse(f"api:{name}", args=args)


@pytest.mark.django_db
class TestComplaintApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return register(world, agency, subject=f"Phản ánh API {agency.code}")

    def list_url(self):
        return url("complaint-list")

    def marker(self, obj):
        return obj.subject

    def read_urls(self, obj):
        return [url("complaint-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("complaint-detail", obj.pk), {"subject": "x"}),
            ("post", url("complaint-assign", obj.pk), {"handler": 1}),
            ("post", url("complaint-answer", obj.pk), {"answer": "x", "outcome": "guidance"}),
            ("post", url("complaint-close", obj.pk), {}),
            ("post", url("complaint-decline", obj.pk), {"reason": "x"}),
            ("post", url("complaint-reopen", obj.pk), {"reason": "x"}),
            ("post", url("complaint-nonconformity", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            url("complaint-list"),
            {"agency": agency.pk, "channel": "desk", "subject": "Lạ", "content": "Lạ"},
        )

    def count(self):
        return Complaint.objects.count()


@pytest.mark.django_db
class TestRatingApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return rate(agency, comment=f"Ý kiến API {agency.code}")

    def list_url(self):
        return url("rating-list")

    def marker(self, obj):
        return obj.comment

    def read_urls(self, obj):
        return [url("rating-detail", obj.pk)]


@pytest.mark.django_db
def test_the_contact_is_given_to_the_keepers_and_the_handler_only(client, world):
    complaint = register(world, contact_phone="0912345678")
    for persona, shown in (("an", True), ("hai", True), ("binh", False), ("dung", False)):
        client.force_login(world.persona(persona))
        data = client.get(url("complaint-detail", complaint.pk)).json()
        assert (data["contact_phone"] == "0912345678") is shown, persona
        if not shown:
            assert data["contact_phone"] is None
    client.force_login(world.dung)
    listed = client.get(url("complaint-list")).json()["results"]
    assert listed[0]["contact_phone"] is None


@pytest.mark.django_db
def test_register_assign_answer_and_the_refusals(client, world):
    client.force_login(world.binh)
    created = client.post(
        url("complaint-list"),
        {
            "channel": "email",
            "subject": "Hỏi về lệ phí",
            "content": "Lệ phí bao nhiêu?",
            "received_on": "2026-06-15",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["due_date"] == "2026-06-29" and body["status"] == "received"
    pk = body["id"]
    refused = client.post(
        url("complaint-assign", pk), {"handler": world.binh.pk}, content_type="application/json"
    )
    assert_error_shape(refused, 403)
    client.force_login(world.an)
    foreign = client.post(
        url("complaint-assign", pk), {"handler": world.chi.pk}, content_type="application/json"
    )
    assert foreign.status_code == 400 and "handler" in foreign.json()["error"]["fields"]
    assert (
        client.post(
            url("complaint-assign", pk), {"handler": world.binh.pk}, content_type="application/json"
        ).status_code
        == 200
    )
    client.force_login(world.binh)
    answered = client.post(
        url("complaint-answer", pk),
        {"answer": "Lệ phí 8.000 đồng.", "outcome": "guidance"},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    again = client.post(
        url("complaint-answer", pk),
        {"answer": "x", "outcome": "guidance"},
        content_type="application/json",
    )
    assert_error_shape(again, 409)
    portal = client.post(
        url("complaint-list"),
        {"channel": "public_portal", "subject": "x", "content": "y"},
        content_type="application/json",
    )
    assert portal.status_code == 400


@pytest.mark.django_db
def test_the_summary_of_a_period(client, world):
    rate(world.A, attitude=5)
    rate(world.A, attitude=2)
    client.force_login(world.an)
    data = client.get(url("rating-summary"), {"start": "2026-01-01"}).json()
    assert (data["total"], data["satisfied"], data["index"]) == (2, 1, 50.0)
    assert data["criteria"][0]["counts"] == [0, 1, 0, 0, 1]
    client.force_login(world.em)
    assert client.get(url("rating-summary"), {"agency": world.A.pk}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["complaint-list", "rating-list"])
def test_list_endpoints_keep_their_query_count(client, world, django_assert_num_queries, name):
    for i in range(2):
        register(world, subject=f"P{i}")
        rate(world.A, comment=f"R{i}")
    client.force_login(world.an)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url(name)).status_code == 200
    for i in range(6):
        register(world, subject=f"Q{i}")
        rate(world.A, comment=f"S{i}")
    with django_assert_num_queries(len(few)):
        assert client.get(url(name)).status_code == 200


# --- the public form's endpoints ---------------------------------------------------------------


@pytest.fixture
def quick(settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 0


@pytest.mark.django_db
def test_a_rating_through_the_public_api(api, world, quick):
    procedure = tthc(world, world.A)
    form = api.get(url("public-rating-form", "a"))
    assert form.status_code == 200 and not form.cookies
    data = form.json()
    assert data["agency"] == "A" and data["procedures"][0]["code"] == procedure.code
    sent = api.post(
        url("public-ratings"),
        {
            "agency": "A",
            "form_token": data["form_token"],
            "attitude": 5,
            "result": 4,
            "procedure": procedure.code,
        },
        format="json",
    )
    assert sent.status_code == 201 and sent.json() == {"received": True}
    rating = Rating.objects.get()
    assert rating.procedure == procedure and rating.satisfied
    replay = api.post(
        url("public-ratings"),
        {"agency": "A", "form_token": data["form_token"], "attitude": 5, "result": 4},
        format="json",
    )
    assert replay.status_code == 201 and Rating.objects.count() == 1
    robot = api.post(
        url("public-ratings"),
        {
            "agency": "A",
            "form_token": api.get(url("public-rating-form", "A")).json()["form_token"],
            "attitude": 1,
            "website": "http://spam",
        },
        format="json",
    )
    assert robot.status_code == 201 and Rating.objects.count() == 1
    forged = api.post(
        url("public-ratings"), {"agency": "A", "form_token": "x", "attitude": 5}, format="json"
    )
    assert forged.status_code == 400 and "form_token" in forged.json()["error"]["fields"]
    out_of_scale = api.post(
        url("public-ratings"),
        {
            "agency": "A",
            "form_token": api.get(url("public-rating-form", "A")).json()["form_token"],
            "attitude": 9,
        },
        format="json",
    )
    assert out_of_scale.status_code == 400
    assert api.get(url("public-rating-form", "NOPE")).status_code == 404


@pytest.mark.django_db
def test_the_public_api_is_rate_limited_in_the_error_shape(api, world, quick, settings):
    settings.PUBLIC_RATE_LIMITS = {"rating": (1, 3600)}
    token = api.get(url("public-rating-form", "A")).json()["form_token"]
    body = {"agency": "A", "form_token": token, "attitude": 5}
    assert api.post(url("public-ratings"), body, format="json").status_code == 201
    limited = api.post(url("public-ratings"), {**body, "attitude": 4}, format="json")
    assert_error_shape(limited, 429, "throttled")
    assert int(limited["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_complaint_is_followed_by_its_code_without_signing_in(api, world):
    from eiso.feedback.tests.factories import submitted

    complaint = submitted(world.A, contact_phone="0912345678")
    data = api.get(url("public-complaint", complaint.tracking_code.lower())).json()
    assert data["status"] == "received" and data["agency"] == world.A.name
    assert "0912345678" not in str(data) and "contact_phone" not in data
    assert api.get(url("public-complaint", "AAAA-BBBB-CCCC")).status_code == 404
    assert data["due_date"] == (datetime.date(2026, 7, 1)).isoformat()
