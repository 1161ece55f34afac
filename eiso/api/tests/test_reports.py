"""The API of the reports: annual reports (isolation, the workflow as endpoints — generate,
write, approve, submit with the signed file, receive, return — with their refusals) and the
provinces' summary reports (overseers of the subtree only, the figures count what was
submitted and the agencies inspected); pinned query counts on the lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.reports import services
from eiso.reports.models import AnnualReport, ProvincialReport
from eiso.reports.tests.factories import draft_report, inspected, submitted_report
from eiso.reports.tests.signing import png_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december", "media_in_tmp")]


@pytest.fixture
def december():
    import time_machine

    from eiso.objectives.tests.conftest import at

    with time_machine.travel(at(2026, 12, 10), tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def post(client, name, *args, data=None):
    return client.post(url(name, *args), data or {}, content_type="application/json")


class TestAnnualReportApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return draft_report(world, agency)

    def list_url(self):
        return url("annual-report-list")

    def marker(self, obj):
        return f'"id":{obj.pk},'

    def read_urls(self, obj):
        return [
            url("annual-report-detail", obj.pk),
            url("annual-report-docx", obj.pk),
            url("annual-report-pdf", obj.pk),
        ]

    def change_requests(self, obj):
        return [
            ("patch", url("annual-report-detail", obj.pk), {"assessment": "x"}),
            ("post", url("annual-report-regenerate", obj.pk), {}),
            ("post", url("annual-report-approve", obj.pk), {}),
            ("post", url("annual-report-reopen", obj.pk), {}),
            ("post", url("annual-report-correct", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        return ("post", url("annual-report-list"), {"agency": agency.pk, "year": 2026})

    def count(self):
        return AnnualReport.objects.count()


def test_the_workflow_runs_through_the_api(client, world, as_token):
    an, hai, dung = as_token(world.an), as_token(world.hai), as_token(world.dung)
    created = an.post(url("annual-report-list"), {"year": 2026}, format="json")
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["agency"] == "A" and report["status"] == "draft" and report["data"]
    pk = report["id"]
    # the head may not approve before the assessment is written
    refused = hai.post(url("annual-report-approve", pk))
    assert_error_shape(refused, refused.status_code)
    assert refused.status_code in (400, 409)
    written = an.patch(
        url("annual-report-detail", pk),
        {"assessment": "Hệ thống vận hành ổn định.", "edit_version": report["edit_version"]},
        format="json",
    )
    assert written.status_code == 200 and written.json()["assessment"].startswith("Hệ thống")
    # the secretary may not approve her own report
    assert an.post(url("annual-report-approve", pk)).status_code in (400, 403, 409)
    assert hai.post(url("annual-report-approve", pk)).json()["status"] == "approved"
    submitted = an.post(
        url("annual-report-submit", pk),
        {
            "number": "15",
            "report_date": "2026-12-10",
            "signed_file": SimpleUploadedFile("scan.png", png_scan()),
        },
        format="multipart",
    )
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and body["late"] is False
    assert body["signature"]["kind"] == "scan"
    # receipt: only the agency's overseers
    assert an.post(url("annual-report-receive", pk)).status_code == 404
    assert as_token(world.em).post(url("annual-report-receive", pk)).status_code == 404
    received = dung.post(url("annual-report-receive", pk))
    assert received.status_code == 200 and received.json()["status"] == "received"


def test_the_overseer_returns_a_report_with_a_reason_and_it_is_corrected(world, as_token):
    report = submitted_report(world)
    dung = as_token(world.dung)
    no_reason = dung.post(url("annual-report-return", report.pk), {}, format="json")
    assert_error_shape(no_reason, 400)
    returned = dung.post(
        url("annual-report-return", report.pk), {"reason": "Thiếu phụ lục số liệu."}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "Thiếu phụ lục số liệu."
    corrected = as_token(world.an).post(url("annual-report-correct", report.pk))
    assert corrected.status_code == 201
    assert corrected.json()["version"] == 2 and corrected.json()["status"] == "draft"


def test_the_annual_list_keeps_its_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    draft_report(world, world.A)
    with django_assert_num_queries(5) as first:
        assert client.get(url("annual-report-list")).status_code == 200
    expected = len(first.captured_queries)
    draft_report(world, world.B)
    draft_report(world, world.A, year=2025)
    draft_report(world, world.B, year=2025)
    with django_assert_num_queries(expected):
        response = client.get(url("annual-report-list"))
    assert response.json()["count"] == 4


# --- the provinces' summaries ---------------------------------------------------------------


def summary(world):
    return services.provincial_report_start(actor=world.dung, agency=world.P, year=2026)


def test_summaries_are_for_the_overseers_of_the_subtree(world, as_token):
    report = summary(world)
    dung, em, an = as_token(world.dung), as_token(world.em), as_token(world.an)
    assert dung.get(url("provincial-report-detail", report.pk)).status_code == 200
    for other in (em, an):
        assert other.get(url("provincial-report-detail", report.pk)).status_code == 404
        assert other.get(url("provincial-report-xlsx", report.pk)).status_code == 404
        assert report.pk not in [
            r["id"] for r in other.get(url("provincial-report-list")).json()["results"]
        ]
        changed = other.patch(
            url("provincial-report-detail", report.pk), {"results": "x"}, format="json"
        )
        assert changed.status_code == 404
    before = ProvincialReport.objects.count()
    aimed = em.post(
        url("provincial-report-list"), {"agency": world.P.pk, "year": 2026}, format="json"
    )
    assert aimed.status_code == 400
    assert ProvincialReport.objects.count() == before


def test_the_summary_counts_the_reports_submitted(world, as_token):
    dung = as_token(world.dung)
    created = dung.post(
        url("provincial-report-list"), {"agency": world.P.pk, "year": 2026}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    before = dung.get(url("provincial-report-detail", pk)).json()["figures"]
    submitted_report(world, world.A)
    after = dung.get(url("provincial-report-detail", pk)).json()["figures"]

    def reported(figures):
        return next(row["reported"] for row in figures["rows"] if row["tier"] == "")  # total

    def late(figures):
        return {entry["code"] for entry in figures["not_reported"]}

    assert reported(after) == reported(before) + 1
    assert "A" in late(before) and "A" not in late(after) and "B" in late(after)
    xlsx = dung.get(url("provincial-report-xlsx", pk))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_summary_gives_the_agencies_inspected_by_tier(world, as_token):
    inspected(world, world.A)  # its record made on 15/06/2026 in P's approved plan
    inspected(world, world.C, province=world.Q)  # another province's
    report = summary(world)
    figures = as_token(world.dung).get(url("provincial-report-detail", report.pk)).json()["figures"]
    assert {row["tier"]: row["inspected"] for row in figures["rows"]} == {"provincial": 1, "": 1}


def test_the_summary_list_keeps_its_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    summary(world)
    with django_assert_num_queries(5) as first:
        assert client.get(url("provincial-report-list")).status_code == 200
    expected = len(first.captured_queries)
    services.provincial_report_start(actor=world.dung, agency=world.P, year=2025)
    services.provincial_report_start(actor=world.dung, agency=world.A, year=2026)
    with django_assert_num_queries(expected):
        response = client.get(url("provincial-report-list"))
    assert response.json()["count"] == 3
