"""The API of management reviews: isolation, the input pack (sources, no data, edits), holding
and the minutes as endpoints with their refusals, decisions tracked, pinned query counts."""

import pytest
import time_machine
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.objectives.tests.conftest import at
from eiso.reviews import services
from eiso.reviews.models import ManagementReview
from eiso.reviews.tests.factories import plan_review

pytestmark = pytest.mark.usefixtures("late_november", "media_in_tmp")

KEEPERS = {"A": "an", "B": "chi", "C": "cuong"}


@pytest.fixture
def late_november():
    with time_machine.travel(at(2026, 11, 26), tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def post(client, name, *args, data=None):
    return client.post(url(name, *args), data or {}, content_type="application/json")


@pytest.mark.django_db
class TestReviewApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        review = plan_review(world, agency, place=f"Phòng họp API {agency.code}")
        services.review_hold(actor=world.persona(KEEPERS[agency.code]), review=review)
        services.output_create(
            actor=world.persona(KEEPERS[agency.code]),
            review=review,
            data={"kind": "improvement", "description": "x", "due_date": review.meeting_date},
        )
        return review

    def list_url(self):
        return url("management-review-list")

    def marker(self, obj):
        return obj.place

    def read_urls(self, obj):
        return [
            url("management-review-detail", obj.pk),
            url("management-review-input-pack", obj.pk),
            url("management-review-outputs", obj.pk),
            url("management-review-docx", obj.pk),
        ]

    def change_requests(self, obj):
        output = obj.outputs.first()
        section = obj.inputs.first()
        return [
            ("patch", url("management-review-detail", obj.pk), {"place": "x"}),
            ("post", url("management-review-input-pack", obj.pk), {}),
            ("patch", url("management-review-input-section", obj.pk, section.pk), {"content": "x"}),
            ("post", url("management-review-hold", obj.pk), {}),
            ("post", url("management-review-minutes", obj.pk), {"conclusions": "x"}),
            ("post", url("management-review-outputs", obj.pk), {"kind": "resource"}),
            (
                "patch",
                url("management-review-output-detail", obj.pk, output.pk),
                {"description": "x"},
            ),
            ("delete", url("management-review-output-detail", obj.pk, output.pk), {}),
            ("post", url("management-review-output-complete", obj.pk, output.pk), {}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            url("management-review-list"),
            {"agency": agency.pk, "meeting_date": "2026-12-10"},
        )

    def count(self):
        return ManagementReview.objects.count()


@pytest.mark.django_db
def test_plan_pack_hold_minutes_and_decisions_through_the_api(client, world):
    client.force_login(world.an)
    created = post(
        client,
        "management-review-list",
        data={"meeting_date": "2026-11-28", "chair": world.hai.pk, "attendees": "Ban chỉ đạo ISO"},
    )
    assert created.status_code == 201, created.content
    review = created.json()
    pack = client.get(url("management-review-input-pack", review["id"])).json()["results"]
    assert len(pack) == 12 and all(s["source"] for s in pack)
    assert [s["has_data"] for s in pack].count(False) == 12
    section = pack[9]
    edited = client.patch(
        url("management-review-input-section", review["id"], section["id"]),
        {"content": "Đủ nhân lực"},
        content_type="application/json",
    )
    assert edited.json()["edited"] is True
    assert_error_shape(
        post(client, "management-review-hold", review["id"]), 409, "invalid_transition"
    )
    ManagementReview.objects.filter(pk=review["id"]).update(meeting_date="2026-11-25")
    assert post(client, "management-review-hold", review["id"]).json()["status"] == "held"
    decision = post(
        client,
        "management-review-outputs",
        review["id"],
        data={
            "kind": "resource",
            "description": "Mua máy quét",
            "owner": world.binh.pk,
            "due_date": "2026-12-31",
        },
    )
    assert decision.status_code == 201
    error = assert_error_shape(
        post(client, "management-review-minutes", review["id"], data={"issue": True}), 409
    )
    assert error["code"] == "invalid_transition"
    issued = post(
        client,
        "management-review-minutes",
        review["id"],
        data={
            "conclusions": "Phù hợp",
            "minutes_number": "4",
            "minutes_date": "2026-11-26",
            "issue": True,
        },
    ).json()
    assert (issued["status"], issued["minutes_number"]) == ("minutes_issued", "04/BB-A")
    client.force_login(world.binh)
    done = post(
        client,
        "management-review-output-complete",
        review["id"],
        decision.json()["id"],
        data={"result": "Đã mua"},
    )
    assert done.json()["done_on"] == "2026-11-26"


@pytest.mark.django_db
def test_lists_keep_their_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    plan_review(world, world.A)
    with django_assert_num_queries(6):
        assert client.get(url("management-review-list")).status_code == 200
    plan_review(world, world.B)
    plan_review(world, world.B)
    with django_assert_num_queries(6):
        assert client.get(url("management-review-list")).status_code == 200
