"""The objectives' pages: isolation on every page, pinned query counts on every list, the
workflow from the pages, refusals shown on the form with what was typed kept."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from eiso.core.testing import IsolationContract
from eiso.objectives import services
from eiso.objectives.models import Measurement, ObjectiveSet, QualityObjective
from eiso.objectives.tests.factories import (
    draft_set,
    first_objective,
    issued_set,
    objective_data,
    secretary,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july", "media_in_tmp")]


def marker_set(world, agency):
    return issued_set(world, agency, 2026, statement=f"Mục tiêu riêng {agency.code}-{agency.pk}")


class TestObjectiveIsolation(IsolationContract):
    def make(self, world, agency):
        objective = first_objective(marker_set(world, agency))
        services.measurement_record(
            actor=secretary(world, agency), objective=objective, period=1, value="99"
        )
        services.evaluation_save(actor=secretary(world, agency), agency=agency, year=2026)
        return objective

    def list_url(self):
        return reverse("objectives:list")

    def marker(self, obj):
        return obj.statement

    def read_urls(self, obj):
        return [
            reverse("objectives:detail", args=[obj.pk]),
            reverse("objectives:set_detail", args=[obj.objective_set_id]),
            reverse("objectives:set_pdf", args=[obj.objective_set_id]),
            reverse("objectives:set_docx", args=[obj.objective_set_id]),
            f"{reverse('objectives:evaluation')}?year=2026&agency={obj.agency_id}",
            reverse("objectives:evaluation_pdf", args=[self.report(obj).pk]),
            reverse("objectives:evaluation_docx", args=[self.report(obj).pk]),
        ]

    def report(self, obj):
        from eiso.objectives.models import EvaluationReport

        return EvaluationReport.objects.get(agency=obj.agency, year=2026)

    def change_requests(self, obj):
        action = obj.actions.first()
        set_id = obj.objective_set_id
        return [
            ("post", reverse("objectives:measure", args=[obj.pk]), {"period": 1, "value": "99"}),
            ("post", reverse("objectives:compute", args=[obj.pk]), {"period": 1}),
            ("post", reverse("objectives:action_update", args=[action.pk]), {"what": "x"}),
            ("post", reverse("objectives:action_delete", args=[action.pk]), {}),
            ("post", reverse("objectives:set_return", args=[set_id]), {"reason": "x"}),
            ("post", reverse("objectives:set_approve", args=[set_id]), {}),
            ("post", reverse("objectives:set_issue", args=[set_id]), {"number": "1"}),
            ("post", reverse("objectives:evaluation_finalize", args=[self.report(obj).pk]), {}),
            (
                "post",
                reverse("objectives:set_amend", args=[obj.objective_set_id]),
                {"change_summary": "x"},
            ),
            ("post", reverse("objectives:update", args=[obj.pk]), objective_data()),
            ("post", reverse("objectives:action_create", args=[obj.pk]), {"what": "x"}),
            ("post", reverse("objectives:delete", args=[obj.pk]), {}),
            (
                "post",
                f"{reverse('objectives:evaluation')}?year=2026&agency={obj.agency_id}",
                {"summary": "x"},
            ),
        ]


class TestDraftIsolation(IsolationContract):
    """Drafts: the outsider cannot submit, add or delete; the overseer reads, changes nothing."""

    def make(self, world, agency):
        return draft_set(world, agency, 2026, statement=f"Dự thảo riêng {agency.code}")

    def list_url(self):
        return reverse("objectives:set_list")

    def marker(self, obj):
        return reverse("objectives:set_detail", args=[obj.pk])

    def read_urls(self, obj):
        return [reverse("objectives:set_detail", args=[obj.pk])]

    def change_requests(self, obj):
        return [
            ("post", reverse("objectives:set_submit", args=[obj.pk]), {}),
            ("post", reverse("objectives:create", args=[obj.pk]), objective_data()),
            ("post", reverse("objectives:set_delete", args=[obj.pk]), {}),
            ("post", reverse("objectives:set_update", args=[obj.pk]), {"signer_name": "x"}),
        ]

    def create_request(self, world, agency):
        obj = draft_set(world, agency, 2026, objectives=0)
        return ("post", reverse("objectives:create", args=[obj.pk]), objective_data())

    def count(self):
        return QualityObjective.objects.count()


LIST_QUERIES = {
    "objectives:list": 6,
    "objectives:set_list": 6,
    "objectives:report_list": 6,
    "objectives:overview": 7,
}


def test_lists_keep_their_query_count_as_rows_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        issued_set(world, agency, 2026, objectives=n)
        services.evaluation_save(actor=secretary(world, agency), agency=agency, year=2026)

    add(world.A, 1)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200
    add(world.B, 3)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_the_whole_year_from_the_pages(client, world):
    """The secretary starts the year, adds an objective and its plan, submits; the head returns
    then approves and issues; the owner records a measurement."""
    client.force_login(world.an)
    response = client.post(reverse("objectives:set_create"), {"year": 2026, "start": "empty"})
    objective_set = ObjectiveSet.objects.get()
    assert response.url == reverse("objectives:set_detail", args=[objective_set.pk])
    # a target without a unit is refused on the form, what was typed kept
    data = {**objective_data(unit=""), "source": "manual", "target": "98,5"}
    response = client.post(reverse("objectives:create", args=[objective_set.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "đơn vị" in body.lower() or "unit" in body.lower()
    assert "98,5" in body
    data["unit"] = "%"
    response = client.post(reverse("objectives:create", args=[objective_set.pk]), data)
    objective = QualityObjective.objects.get()
    assert response.url == reverse("objectives:detail", args=[objective.pk])
    assert objective.target == 98.5
    response = client.post(
        reverse("objectives:action_create", args=[objective.pk]),
        {"what": "Rà soát quy trình", "responsible": "Văn phòng", "due_date": "31/12/2027"},
    )
    assert response.status_code == 200 and "2026" in response.content.decode()
    client.post(
        reverse("objectives:action_create", args=[objective.pk]),
        {"what": "Rà soát quy trình", "responsible": "Văn phòng", "due_date": "30/06/2026"},
    )
    client.post(reverse("objectives:set_submit", args=[objective_set.pk]))
    objective_set.refresh_from_db()
    assert objective_set.status == "submitted"
    page = client.get(reverse("objectives:set_detail", args=[objective_set.pk])).content.decode()
    assert 'data-testid="approve"' not in page  # the secretary may not approve

    client.force_login(world.hai)
    page = client.get(reverse("objectives:set_detail", args=[objective_set.pk])).content.decode()
    assert 'data-testid="approve"' in page and 'data-testid="return"' in page
    client.post(reverse("objectives:set_return", args=[objective_set.pk]), {"reason": "Bổ sung"})
    objective_set.refresh_from_db()
    assert objective_set.status == "returned"
    client.force_login(world.an)
    client.post(reverse("objectives:set_submit", args=[objective_set.pk]))
    client.force_login(world.hai)
    client.post(reverse("objectives:set_approve", args=[objective_set.pk]))
    response = client.post(
        reverse("objectives:set_issue", args=[objective_set.pk]),
        {"number": "12", "date": "15/07/2026"},
    )
    objective_set.refresh_from_db()
    assert objective_set.status == "issued" and objective_set.decision_number == "12/QĐ-A"

    client.force_login(world.an)
    response = client.post(
        reverse("objectives:measure", args=[objective.pk]), {"period": 2, "value": "97"}
    )
    assert response.status_code == 302
    page = client.get(reverse("objectives:detail", args=[objective.pk])).content.decode()
    assert "objective-chart-data" in page and "Không đạt" in page or "Not met" in page
    assert Measurement.objects.get().met is False


def test_a_measurement_outside_the_year_is_refused_on_the_form(client, world):
    objective = first_objective(issued_set(world, world.A, 2026))
    client.force_login(world.an)
    response = client.post(
        reverse("objectives:measure", args=[objective.pk]), {"period": 7, "value": "99"}
    )
    assert response.status_code == 200 and not Measurement.objects.exists()


def test_staff_see_objectives_but_not_the_drafting_buttons(client, world):
    objective = first_objective(issued_set(world, world.A, 2026))
    client.force_login(world.binh)
    page = client.get(reverse("objectives:detail", args=[objective.pk])).content.decode()
    assert objective.statement in page
    assert 'data-testid="measure-form"' not in page
    assert client.get(reverse("objectives:set_create")).status_code == 404


def test_the_overview_is_for_overseers(client, world):
    issued_set(world, world.A, 2026)
    client.force_login(world.an)
    assert client.get(reverse("objectives:overview")).status_code == 404
    client.force_login(world.dung)
    page = client.get(reverse("objectives:overview") + "?year=2026").content.decode()
    assert 'data-tier="provincial"' in page
    client.force_login(world.em)
    page = client.get(reverse("objectives:overview") + "?year=2026").content.decode()
    assert "Sở Tư pháp" not in page


def test_the_lists_export_xlsx(client, world):
    issued_set(world, world.A, 2026)
    client.force_login(world.an)
    for name in ("objectives:list", "objectives:set_list", "objectives:report_list"):
        response = client.get(reverse(name) + "?export=xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_decision_and_report_pdfs_say_what_they_should(client, world, tmp_path):
    objective_set = issued_set(world, world.A, 2026, objectives=2)
    missed = first_objective(objective_set)
    services.measurement_record(actor=world.an, objective=missed, period=1, value="80")
    services.evaluation_save(
        actor=world.an,
        agency=world.A,
        year=2026,
        report_date=datetime.date(2026, 7, 10),
        assessments={str(missed.lineage): {"causes": "Thiếu công chức tại Bộ phận Một cửa"}},
    )
    client.force_login(world.an)

    def text_of(url):
        path = tmp_path / "out.pdf"
        path.write_bytes(client.get(url).content)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout

    decision = re.sub(r"\s+", " ", text_of(reverse("objectives:set_pdf", args=[objective_set.pk])))
    assert "QUYẾT ĐỊNH" in decision and "Mục tiêu chất lượng năm 2026" in decision
    assert objective_set.decision_number in decision
    report = services.evaluation_save(
        actor=world.an,
        agency=world.A,
        year=2026,
        report_date=datetime.date(2026, 7, 10),
        assessments={str(missed.lineage): {"causes": "Thiếu công chức"}},
    )
    text = re.sub(r"\s+", " ", text_of(reverse("objectives:evaluation_pdf", args=[report.pk])))
    assert missed.statement in text and "Không đạt" in text and "Thiếu công chức" in text
    assert secretary(world, world.A).username == "an"
