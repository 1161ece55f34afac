"""The API of the context, interested parties and the risk register: isolation, refusals in
the one error shape with nothing saved, the treat / re-rate / review flow, pinned query
counts."""

import pytest
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.objectives.tests.factories import secretary
from eiso.risks import services
from eiso.risks.models import ContextIssue, InterestedParty, Risk, Treatment
from eiso.risks.tests.factories import add_risk, add_treatment

pytestmark = pytest.mark.usefixtures("july", "media_in_tmp")


@pytest.fixture
def july():
    import time_machine

    from eiso.objectives.tests.conftest import at

    with time_machine.travel(at(2026, 7, 15), tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


RISK = {
    "year": 2026,
    "kind": "risk",
    "process_kind": "internal",
    "process": "Tiếp nhận hồ sơ",
    "description": "Mất hồ sơ giấy khi luân chuyển",
    "likelihood": 3,
    "impact": 4,
}


@pytest.mark.django_db
class TestRiskApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        risk = add_risk(world, agency, description=f"Rủi ro API {agency.code}")
        add_treatment(world, risk)
        return risk

    def list_url(self):
        return url("risk-list")

    def marker(self, obj):
        return obj.description

    def read_urls(self, obj):
        return [url("risk-detail", obj.pk), url("treatment-detail", obj.treatments.first().pk)]

    def change_requests(self, obj):
        treatment = obj.treatments.first()
        return [
            ("patch", url("risk-detail", obj.pk), {"likelihood": 1}),
            ("delete", url("risk-detail", obj.pk), {}),
            ("post", url("risk-rerate", obj.pk), {"likelihood": 1, "impact": 1}),
            ("post", url("risk-treatments", obj.pk), {"action": "x", "due_date": "2026-09-01"}),
            ("post", url("treatment-complete", treatment.pk), {}),
            ("delete", url("treatment-detail", treatment.pk), {}),
        ]

    def create_request(self, world, agency):
        return ("post", url("risk-list"), {**RISK, "agency": agency.pk})

    def count(self):
        return Risk.objects.count()


@pytest.mark.django_db
class TestContextIssueApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return services.issue_create(
            actor=secretary(world, agency),
            agency=agency,
            year=2026,
            data={"kind": "external", "category": "legal", "description": f"Luật {agency.code}"},
        )

    def list_url(self):
        return url("context-issue-list")

    def marker(self, obj):
        return obj.description

    def read_urls(self, obj):
        return [url("context-issue-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("context-issue-detail", obj.pk), {"description": "x"}),
            ("delete", url("context-issue-detail", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        data = {
            "agency": agency.pk,
            "year": 2026,
            "kind": "internal",
            "category": "people",
            "description": "x",
        }
        return ("post", url("context-issue-list"), data)

    def count(self):
        return ContextIssue.objects.count()


@pytest.mark.django_db
class TestInterestedPartyApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return services.party_create(
            actor=secretary(world, agency),
            agency=agency,
            year=2026,
            data={"kind": "citizens", "name": f"Người dân {agency.code}", "requirements": "x"},
        )

    def list_url(self):
        return url("interested-party-list")

    def marker(self, obj):
        return obj.name

    def read_urls(self, obj):
        return [url("interested-party-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("interested-party-detail", obj.pk), {"name": "x"}),
            ("delete", url("interested-party-detail", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        data = {
            "agency": agency.pk,
            "year": 2026,
            "kind": "citizens",
            "name": "x",
            "requirements": "y",
        }
        return ("post", url("interested-party-list"), data)

    def count(self):
        return InterestedParty.objects.count()


@pytest.mark.django_db
def test_add_treat_rerate_review_through_the_api(client, world):
    client.force_login(world.an)
    error = assert_error_shape(
        client.post(url("risk-list"), {**RISK, "likelihood": 6}, content_type="application/json"),
        400,
    )
    assert set(error["fields"]) == {"likelihood"}
    assert not Risk.objects.exists()
    created = client.post(url("risk-list"), RISK, content_type="application/json")
    assert created.status_code == 201, created.content
    risk = created.json()
    assert (risk["code"], risk["rating"], risk["level"]) == ("R-01", 12, "high")
    error = assert_error_shape(
        client.post(
            url("risk-treatments", risk["id"]),
            {"action": "Số hóa hồ sơ", "due_date": "2027-02-01"},
            content_type="application/json",
        ),
        400,
    )
    assert set(error["fields"]) == {"due_date"}
    assert_error_shape(
        client.post(
            url("risk-rerate", risk["id"]),
            {"likelihood": 1, "impact": 2},
            content_type="application/json",
        ),
        409,
        "invalid_transition",
    )
    treatment = client.post(
        url("risk-treatments", risk["id"]),
        {"action": "Số hóa hồ sơ", "due_date": "2026-09-01", "owner": world.binh.pk},
        content_type="application/json",
    ).json()
    client.force_login(world.binh)
    done = client.post(
        url("treatment-complete", treatment["id"]), {}, content_type="application/json"
    )
    assert done.json()["done_on"] == "2026-07-15"
    client.force_login(world.an)
    rerated = client.post(
        url("risk-rerate", risk["id"]),
        {"likelihood": 1, "impact": 2},
        content_type="application/json",
    ).json()
    assert (rerated["status"], rerated["residual_rating"]) == ("treated", 2)
    reviewed = client.post(
        url("risk-review", risk["id"]),
        {"effectiveness": "Không còn thất lạc"},
        content_type="application/json",
    ).json()
    assert reviewed["status"] == "closed"


@pytest.mark.django_db
def test_lists_keep_their_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        for _ in range(n):
            add_treatment(world, add_risk(world, agency))
            services.issue_create(
                actor=secretary(world, agency),
                agency=agency,
                year=2026,
                data={"kind": "external", "category": "legal", "description": "x"},
            )
            services.party_create(
                actor=secretary(world, agency),
                agency=agency,
                year=2026,
                data={"kind": "citizens", "name": "x", "requirements": "y"},
            )

    pinned = {"risk-list": 6, "context-issue-list": 5, "interested-party-list": 5}
    add(world.A, 1)
    for name, queries in pinned.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    add(world.B, 3)
    for name, queries in pinned.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    assert Treatment.objects.count() == 4
