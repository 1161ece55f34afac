"""The objectives API: isolation, the workflow (every refusal in the one error shape, nothing
saved), objectives with their plan and measurements, pinned query counts."""

import datetime

import pytest
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.objectives import services
from eiso.objectives.models import Measurement, ObjectiveSet, QualityObjective
from eiso.objectives.tests.factories import draft_set, first_objective, issued_set

pytestmark = pytest.mark.usefixtures("july", "media_in_tmp")


@pytest.fixture
def july():
    import time_machine

    from eiso.objectives.tests.conftest import at

    with time_machine.travel(at(2026, 7, 15), tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


OBJECTIVE = {
    "statement": "Giải quyết hồ sơ đúng hạn",
    "indicator": "Tỷ lệ hồ sơ đúng hạn",
    "comparator": "≥",
    "target": "98",
    "unit": "%",
    "frequency": "quarter",
}


@pytest.mark.django_db
class TestObjectiveApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return first_objective(
            issued_set(world, agency, 2026, statement=f"Mục tiêu API {agency.code}")
        )

    def list_url(self):
        return url("objective-list")

    def marker(self, obj):
        return obj.statement

    def read_urls(self, obj):
        return [
            url("objective-detail", obj.pk),
            url("objective-set-detail", obj.objective_set_id),
            url("objective-set-pdf", obj.objective_set_id),
        ]

    def change_requests(self, obj):
        return [
            ("post", url("objective-measurements", obj.pk), {"period": 1, "value": "99"}),
            ("patch", url("objective-detail", obj.pk), {"target": "1"}),
            ("delete", url("objective-detail", obj.pk), {}),
            ("post", url("objective-set-amend", obj.objective_set_id), {"change_summary": "x"}),
        ]

    def create_request(self, world, agency):
        target = draft_set(world, agency, 2026, objectives=0)
        return ("post", url("objective-list"), {**OBJECTIVE, "objective_set": target.pk})

    def count(self):
        return QualityObjective.objects.count()


@pytest.mark.django_db
class TestObjectiveSetApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return draft_set(world, agency, 2026)

    def list_url(self):
        return url("objective-set-list")

    def marker(self, obj):
        return f'"id":{obj.pk},'

    def read_urls(self, obj):
        return [url("objective-set-detail", obj.pk), url("objective-set-docx", obj.pk)]

    def change_requests(self, obj):
        return [
            ("post", url("objective-set-submit", obj.pk), {}),
            ("post", url("objective-set-approve", obj.pk), {}),
            ("post", url("objective-set-return", obj.pk), {"reason": "x"}),
            ("post", url("objective-set-issue", obj.pk), {"number": "1", "date": "2026-07-01"}),
        ]

    def create_request(self, world, agency):
        return ("post", url("objective-set-list"), {"agency": agency.pk, "year": 2027})

    def count(self):
        return ObjectiveSet.objects.count()


@pytest.mark.django_db
def test_the_year_through_the_api(client, world):
    client.force_login(world.an)
    response = client.post(
        url("objective-set-list"), {"year": 2026}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    set_id = response.json()["id"]
    # a target without a unit or comparator is refused, nothing saved
    bad = {**OBJECTIVE, "objective_set": set_id, "unit": "", "comparator": ""}
    error = assert_error_shape(
        client.post(url("objective-list"), bad, content_type="application/json"), 400
    )
    assert set(error["fields"]) == {"unit", "comparator"}
    # an action due after the year is refused, the objective with it too (all or nothing)
    late = {
        **OBJECTIVE,
        "objective_set": set_id,
        "plan": [{"what": "Rà soát", "responsible": "VP", "due_date": "2027-01-10"}],
    }
    error = assert_error_shape(
        client.post(url("objective-list"), late, content_type="application/json"), 400
    )
    assert set(error["fields"]) == {"due_date"}
    assert not QualityObjective.objects.exists()
    good = {**late, "plan": [{"what": "Rà soát", "responsible": "VP", "due_date": "2026-12-10"}]}
    response = client.post(url("objective-list"), good, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["comparator"] == "ge" and body["target_text"] == "≥ 98%"
    assert [a["what"] for a in body["plan"]] == ["Rà soát"]
    objective_id = body["id"]
    assert_error_shape(
        client.post(url("objective-set-approve", set_id), content_type="application/json"),
        409,
        "invalid_transition",
    )
    client.post(url("objective-set-submit", set_id), {}, content_type="application/json")
    assert_error_shape(
        client.post(url("objective-set-approve", set_id), content_type="application/json"),
        403,
        "not_permitted",
    )
    client.force_login(world.hai)
    client.post(url("objective-set-approve", set_id), content_type="application/json")
    response = client.post(
        url("objective-set-issue", set_id),
        {"number": "7", "date": "2026-07-15"},
        content_type="application/json",
    )
    assert response.json()["decision_number"] == "07/QĐ-A"
    client.force_login(world.an)
    error = assert_error_shape(
        client.post(
            url("objective-measurements", objective_id),
            {"period": 5, "value": "99"},
            content_type="application/json",
        ),
        400,
    )
    assert set(error["fields"]) == {"period"}
    response = client.post(
        url("objective-measurements", objective_id),
        {"period": 2, "value": "97.5"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["met"] is False
    detail = client.get(url("objective-detail", objective_id)).json()
    assert detail["result"] == "not_met"
    assert [(m["period"], m["value"]) for m in detail["measurements"]] == [(2, 97.5)]


@pytest.mark.django_db
def test_lists_keep_their_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        objective_set = issued_set(world, agency, 2026, objectives=n)
        for objective in objective_set.objectives.all():
            services.measurement_record(
                actor=objective_set.created_by, objective=objective, period=1, value="99"
            )

    add(world.A, 1)
    counts = {}
    for name in ("objective-list", "objective-set-list"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as found:
            assert client.get(url(name)).status_code == 200
        counts[name] = len(found)
    assert counts == {"objective-list": 8, "objective-set-list": 5}
    add(world.B, 3)
    for name, queries in counts.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    assert Measurement.objects.count() == 4


@pytest.mark.django_db
def test_copy_last_year_through_the_api(client, world):
    issued_set(world, world.A, 2025, objectives=2, date=datetime.date(2025, 1, 20))
    client.force_login(world.an)
    response = client.post(
        url("objective-set-list"),
        {"year": 2026, "start": "last_year"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["objective_count"] == 2
