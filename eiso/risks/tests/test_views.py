"""The risk pages: isolation on every page, pinned query counts on every list, the flow from
the pages, overdue treatments in the owner's inbox on both sides of the due date."""

import datetime

import pytest
from django.urls import reverse

from eiso.core import inbox
from eiso.core.testing import IsolationContract
from eiso.objectives.tests.factories import secretary
from eiso.risks import services
from eiso.risks.models import ContextIssue, InterestedParty, Risk, Treatment
from eiso.risks.tests.factories import add_risk, add_treatment, risk_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july", "media_in_tmp")]


class TestRiskIsolation(IsolationContract):
    def make(self, world, agency):
        risk = add_risk(world, agency, description=f"Rủi ro riêng của {agency.code}")
        add_treatment(world, risk)
        services.report_save(actor=secretary(world, agency), agency=agency, year=2026)
        return risk

    def list_url(self):
        return reverse("risks:list")

    def marker(self, obj):
        return obj.description

    def read_urls(self, obj):
        from eiso.risks.models import RiskReport

        report = RiskReport.objects.get(agency=obj.agency, year=2026)
        return [
            reverse("risks:detail", args=[obj.pk]),
            f"{reverse('risks:report')}?year=2026&agency={obj.agency_id}",
            reverse("risks:report_pdf", args=[report.pk]),
            reverse("risks:report_docx", args=[report.pk]),
        ]

    def change_requests(self, obj):
        treatment = obj.treatments.first()
        return [
            ("post", reverse("risks:update", args=[obj.pk]), risk_data()),
            ("post", reverse("risks:rerate", args=[obj.pk]), {"likelihood": 1, "impact": 1}),
            ("post", reverse("risks:delete", args=[obj.pk]), {}),
            ("post", reverse("risks:treatment_create", args=[obj.pk]), {"action": "x"}),
            ("post", reverse("risks:treatment_done", args=[treatment.pk]), {}),
            ("post", reverse("risks:treatment_delete", args=[treatment.pk]), {}),
            ("post", reverse("risks:treatment_update", args=[treatment.pk]), {"action": "x"}),
            ("post", reverse("risks:review", args=[obj.pk]), {"effectiveness": "x"}),
            ("post", reverse("risks:reopen", args=[obj.pk]), {"reason": "x"}),
            (
                "post",
                f"{reverse('risks:report')}?year=2026&agency={obj.agency_id}",
                {"summary": "x"},
            ),
        ]

    def create_request(self, world, agency):
        risk = add_risk(world, agency)
        return (
            "post",
            reverse("risks:treatment_create", args=[risk.pk]),
            {"action": "Lạ", "due_date": "30/09/2026"},
        )

    def count(self):
        return Treatment.objects.count()


class TestIssueIsolation(IsolationContract):
    def make(self, world, agency):
        return services.issue_create(
            actor=secretary(world, agency),
            agency=agency,
            year=2026,
            data={
                "kind": "internal",
                "category": "people",
                "description": f"Thiếu người {agency.code}",
            },
        )

    def list_url(self):
        return reverse("risks:issues")

    def marker(self, obj):
        return obj.description

    def change_requests(self, obj):
        return [
            ("post", reverse("risks:issue_update", args=[obj.pk]), {"description": "x"}),
            ("post", reverse("risks:issue_delete", args=[obj.pk]), {}),
        ]

    def count(self):
        return ContextIssue.objects.count()


class TestPartyIsolation(IsolationContract):
    def make(self, world, agency):
        return services.party_create(
            actor=secretary(world, agency),
            agency=agency,
            year=2026,
            data={
                "kind": "citizens",
                "name": f"Người dân {agency.code}",
                "requirements": "Đúng hạn",
            },
        )

    def list_url(self):
        return reverse("risks:parties")

    def marker(self, obj):
        return obj.name

    def change_requests(self, obj):
        return [
            ("post", reverse("risks:party_update", args=[obj.pk]), {"name": "x"}),
            ("post", reverse("risks:party_delete", args=[obj.pk]), {}),
        ]

    def count(self):
        return InterestedParty.objects.count()


LIST_QUERIES = {
    "risks:list": 9,
    "risks:issues": 6,
    "risks:parties": 6,
    "risks:report_list": 6,
}


def test_lists_keep_their_query_count_as_rows_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        for i in range(n):
            risk = add_risk(world, agency)
            add_treatment(world, risk)
            services.issue_create(
                actor=secretary(world, agency),
                agency=agency,
                year=2026,
                data={"kind": "external", "category": "legal", "description": f"Vấn đề {i}"},
            )
            services.party_create(
                actor=secretary(world, agency),
                agency=agency,
                year=2026,
                data={"kind": "citizens", "name": f"Bên {i}", "requirements": "x"},
            )
        services.report_save(actor=secretary(world, agency), agency=agency, year=2026)

    add(world.A, 1)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200
    add(world.B, 3)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_add_treat_rerate_from_the_pages_moves_the_heat_map(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("risks:create") + "?year=2026",
        {**risk_data(likelihood=7), "owner": ""},
    )
    assert response.status_code == 200 and not Risk.objects.exists()  # outside the scale
    client.post(reverse("risks:create") + "?year=2026", {**risk_data(), "owner": ""})
    risk = Risk.objects.get()
    page = client.get(reverse("risks:list")).content.decode()
    assert 'data-cell="4x4" data-count="1"' in page
    client.post(
        reverse("risks:treatment_create", args=[risk.pk]),
        {"action": "Bố trí người dự phòng", "owner": world.binh.pk, "due_date": "30/09/2026"},
    )
    treatment = Treatment.objects.get()
    client.force_login(world.binh)
    client.post(reverse("risks:treatment_done", args=[treatment.pk]), {"result": "Xong"})
    client.force_login(world.an)
    client.post(reverse("risks:rerate", args=[risk.pk]), {"likelihood": 2, "impact": 2})
    risk.refresh_from_db()
    assert risk.residual_rating == 4
    page = client.get(reverse("risks:list")).content.decode()
    after = page.split('data-testid="heatmap-after"')[1]
    assert 'data-cell="2x2" data-count="1"' in after and 'data-cell="4x4" data-count="0"' in after


def test_overdue_treatments_reach_the_owners_inbox_on_both_sides_of_the_due_date(world, july):
    risk = add_risk(world, world.A)
    add_treatment(world, risk, owner=world.binh, due=datetime.date(2026, 8, 31))

    def items(day):
        return [i for i in inbox.inbox_for(world.binh, today=day) if i.kind == "risks.treatment"]

    assert items(datetime.date(2026, 8, 16)) == []  # more than two weeks ahead
    soon = items(datetime.date(2026, 8, 31))
    assert len(soon) == 1 and not soon[0].overdue_on(datetime.date(2026, 8, 31))
    late = items(datetime.date(2026, 9, 1))
    assert late[0].overdue_on(datetime.date(2026, 9, 1)) and "R-01" in late[0].title
    assert [
        i
        for i in inbox.inbox_for(world.an, today=datetime.date(2026, 9, 1))
        if i.kind == "risks.treatment"
    ] == []


def test_the_report_pdf_lists_the_register(client, world, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    risk = add_risk(world, world.A)
    add_treatment(world, risk)
    report = services.report_save(
        actor=world.an, agency=world.A, year=2026, report_date=datetime.date(2026, 7, 1)
    )
    client.force_login(world.an)
    path = tmp_path / "r.pdf"
    path.write_bytes(client.get(reverse("risks:report_pdf", args=[report.pk])).content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "BÁO CÁO" in text and "R-01" in text and "rủi ro và cơ hội năm 2026" in text


def test_the_lists_export_xlsx(client, world):
    add_risk(world, world.A)
    client.force_login(world.an)
    for name in ("risks:list", "risks:issues", "risks:parties", "risks:report_list"):
        response = client.get(reverse(name) + "?export=xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_see_the_register_without_the_keepers_buttons(client, world):
    add_risk(world, world.A)
    client.force_login(world.binh)
    page = client.get(reverse("risks:list")).content.decode()
    assert "Hồ sơ bị trả kết quả trễ hạn" in page and 'data-testid="add-risk"' not in page
    assert client.get(reverse("risks:create")).status_code == 404


def test_copy_last_year_from_the_page(client, world):
    add_risk(world, world.A, year=2025)
    client.force_login(world.an)
    response = client.post(reverse("risks:copy_last_year"), {"year": 2026})
    assert response.status_code == 302 and Risk.objects.filter(year=2026).count() == 1
    response = client.post(reverse("risks:copy_last_year"), {"year": 2026})
    assert response.status_code == 200  # nothing left to copy: said on the form
