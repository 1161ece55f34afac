"""The API of nonconformities and corrective actions: isolation, refusals in the one error shape
with nothing saved, the whole workflow as endpoints, pinned query counts, the overseer's counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.improvements.tests.factories import analysed, auditor, raise_nc
from eiso.objectives.tests.conftest import at

pytestmark = pytest.mark.usefixtures("november", "media_in_tmp")


@pytest.fixture
def november():
    with time_machine.travel(at(2026, 11, 16), tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def post(client, name, *args, data=None):
    return client.post(url(name, *args), data or {}, content_type="application/json")


@pytest.mark.django_db
class TestNonconformityApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        nc = raise_nc(world, agency, title=f"Không phù hợp API {agency.code}")
        analysed(world, nc)
        return nc

    def list_url(self):
        return url("nonconformity-list")

    def marker(self, obj):
        return obj.title

    def read_urls(self, obj):
        return [
            url("nonconformity-detail", obj.pk),
            url("nonconformity-docx", obj.pk),
            url("nonconformity-pdf", obj.pk),
        ]

    def change_requests(self, obj):
        action = obj.actions.first()
        return [
            ("patch", url("nonconformity-detail", obj.pk), {"title": "x"}),
            (
                "post",
                url("nonconformity-actions", obj.pk),
                {"action": "x", "due_date": "2026-12-01"},
            ),
            ("patch", url("nonconformity-action-detail", obj.pk, action.pk), {"action": "x"}),
            ("delete", url("nonconformity-action-detail", obj.pk, action.pk), {}),
            ("post", url("nonconformity-action-complete", obj.pk, action.pk), {}),
            ("post", url("nonconformity-submit-plan", obj.pk), {}),
            ("post", url("nonconformity-approve-plan", obj.pk), {}),
            ("post", url("nonconformity-return-plan", obj.pk), {"reason": "x"}),
            ("post", url("nonconformity-verify", obj.pk), {"effective": True, "note": "x"}),
            ("post", url("nonconformity-close", obj.pk), {}),
            ("post", url("nonconformity-reopen", obj.pk), {"reason": "x"}),
        ]

    def create_request(self, world, agency):
        data = {"agency": agency.pk, "source": "staff", "title": "x", "description": "y"}
        return ("post", url("nonconformity-list"), data)

    def count(self):
        return Nonconformity.objects.count()


@pytest.mark.django_db
def test_the_whole_workflow_through_the_api(client, world):
    client.force_login(world.binh)
    error = assert_error_shape(
        post(
            client, "nonconformity-list", data={"source": "staff", "title": "", "description": ""}
        ),
        400,
    )
    assert set(error["fields"]) == {"title", "description"}
    assert not Nonconformity.objects.exists()
    created = post(
        client,
        "nonconformity-list",
        data={
            "source": "process",
            "title": "Hồ sơ trễ hạn",
            "description": "Ba hồ sơ trả trễ",
            "owner": world.binh.pk,
        },
    )
    assert created.status_code == 201, created.content
    nc = created.json()
    assert (nc["code"], nc["status"], nc["owner"]) == ("01/2026", "open", world.binh.pk)
    assert_error_shape(
        post(client, "nonconformity-submit-plan", nc["id"]), 409, "invalid_transition"
    )
    patched = client.patch(
        url("nonconformity-detail", nc["id"]),
        {
            "root_cause": "Thiếu người thay",
            "whys": ["Nghỉ ốm", "Không có người thay"],
            "cause_category": "people",
        },
        content_type="application/json",
    )
    assert patched.json()["whys"] == ["Nghỉ ốm", "Không có người thay"]
    action = post(
        client,
        "nonconformity-actions",
        nc["id"],
        data={
            "action": "Phân công người dự phòng",
            "owner": world.binh.pk,
            "due_date": "2026-12-01",
        },
    ).json()
    assert_error_shape(
        post(client, "nonconformity-action-complete", nc["id"], action["id"]),
        409,
        "invalid_transition",
    )
    assert post(client, "nonconformity-submit-plan", nc["id"]).json()["status"] == "planned"
    client.force_login(world.hai)
    assert post(client, "nonconformity-approve-plan", nc["id"]).json()["status"] == "plan_approved"
    client.force_login(world.binh)
    done = post(
        client, "nonconformity-action-complete", nc["id"], action["id"], data={"result": "Xong"}
    )
    assert done.json()["done_on"] == "2026-11-16"
    assert_error_shape(post(client, "nonconformity-close", nc["id"]), 409, "invalid_transition")
    error = assert_error_shape(
        post(client, "nonconformity-verify", nc["id"], data={"effective": True, "note": "x"}), 403
    )
    client.force_login(auditor(world, world.A))
    verified = post(
        client, "nonconformity-verify", nc["id"], data={"effective": True, "note": "Ổn"}
    )
    assert verified.json()["checks"][0]["effective"] is True
    closed = post(client, "nonconformity-close", nc["id"]).json()
    assert (closed["status"], closed["days_to_close"]) == ("closed", 0)


@pytest.mark.django_db
def test_an_action_of_another_record_is_not_found_through_this_one(client, world):
    first = raise_nc(world, world.A)
    other = raise_nc(world, world.A)
    action = analysed(world, other)
    client.force_login(world.an)
    response = client.patch(
        url("nonconformity-action-detail", first.pk, action.pk),
        {"action": "x"},
        content_type="application/json",
    )
    assert_error_shape(response, 404)


@pytest.mark.django_db
def test_lists_keep_their_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        for _ in range(n):
            analysed(world, raise_nc(world, agency))

    pinned = {"nonconformity-list": 7, "nonconformity-overview": 5}
    add(world.A, 1)
    for name, queries in pinned.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    add(world.B, 3)
    for name, queries in pinned.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    assert CorrectiveAction.objects.count() == 4


@pytest.mark.django_db
def test_the_overview_is_the_overseers(client, world):
    raise_nc(world, world.A, due_date=datetime.date(2026, 11, 16))
    client.force_login(world.dung)
    rows = {r["code"]: r for r in client.get(url("nonconformity-overview")).json()["results"]}
    assert rows["A"]["open"] == 1 and rows["A"]["overdue"] == 0
    client.force_login(world.an)
    assert_error_shape(client.get(url("nonconformity-overview")), 404)
