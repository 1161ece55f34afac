"""The records pages: isolation on every page, pinned query counts on every list, the import
from the page (background job, kernel's job page), the figures for an agency and an overseer."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.core.models import ImportBatch
from eiso.core.testing import IsolationContract
from eiso.records import services
from eiso.records.models import Dossier, RecordType
from eiso.records.tests.factories import KHAI_SINH, LLTP, csv_bytes, import_rows, procedure, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april", "catalogue")]

KEEPER = {"A": "an", "B": "chi", "C": "cuong"}
MONTHS = "?month_from=01/2026&month_to=12/2026"


def keeper(world, agency):
    return world.persona(KEEPER[agency.code])


def add_dossiers(world, agency, codes, **kwargs):
    result = import_rows(keeper(world, agency), agency, [row(c, **kwargs) for c in codes])
    assert result.ok, result.errors
    return Dossier.objects.filter(agency=agency, code__in=codes)


class TestDossierIsolation(IsolationContract):
    def make(self, world, agency):
        code = f"HS-{agency.code}-{Dossier.objects.count()}"
        return add_dossiers(world, agency, [code]).get()

    def list_url(self):
        return reverse("records:dossier_list") + MONTHS

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [reverse("records:dossier_detail", args=[obj.pk])]


class TestLateDossierIsolation(IsolationContract):
    def make(self, world, agency):
        code = f"TRE-{agency.code}-{Dossier.objects.count()}"
        return add_dossiers(world, agency, [code], finished="12/03/2026").get()

    def list_url(self):
        return reverse("records:late_list") + MONTHS

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [reverse("records:dossier_detail", args=[obj.pk])]


class TestRecordTypeIsolation(IsolationContract):
    def make(self, world, agency):
        return services.record_type_create(
            actor=keeper(world, agency),
            agency=agency,
            data={
                "name": f"Sổ theo dõi {agency.code}",
                "keeper": "Văn phòng",
                "retention_years": 5,
            },
        )

    def list_url(self):
        return reverse("records:list")

    def marker(self, obj):
        return obj.name

    def read_urls(self, obj):
        return [f"{reverse('records:keep')}?agency={obj.agency_id}"]

    def change_requests(self, obj):
        data = {
            "name": "Đổi tên",
            "keeper": "X",
            "location": "paper",
            "retention_years": 2,
            "disposal": "destroy",
        }
        return [
            ("post", reverse("records:update", args=[obj.pk]), data),
            ("post", reverse("records:delete", args=[obj.pk]), {}),
            ("post", f"{reverse('records:keep_adopt')}?agency={obj.agency_id}", {}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            f"{reverse('records:create')}?agency={agency.pk}",
            {
                "name": "Lạ",
                "keeper": "X",
                "location": "paper",
                "retention_years": 2,
                "disposal": "destroy",
            },
        )

    def count(self):
        return RecordType.objects.count()


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["records:dossier_list", "records:late_list", "records:list", "records:figures"]
)
def test_list_query_counts_do_not_grow_with_rows(client, world, django_assert_num_queries, name):
    client.force_login(world.an)
    url = reverse(name) + (MONTHS if name != "records:list" else "")

    def fill(start, count):
        add_dossiers(
            world, world.A, [f"Q-{n}" for n in range(start, start + count)], finished="12/03/2026"
        )
        procedure(f"9.{start:06d}.000", name=f"Thủ tục {start}")
        add_dossiers(world, world.A, [f"R-{start}"], procedure_code=f"9.{start:06d}.000")
        for n in range(start, start + count):
            services.record_type_create(
                actor=world.an,
                agency=world.A,
                data={"name": f"Hồ sơ {n}", "keeper": "VP", "retention_years": 5},
            )

    fill(0, 2)
    client.get(url)  # warm the caches (session, scope)
    with django_assert_num_queries(count := _count(client, url)):
        client.get(url)
    fill(10, 6)
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_overseer_figures_query_counts_do_not_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    urls = [reverse("records:agency_figures"), reverse("records:tier_figures")]
    add_dossiers(world, world.A, ["A-1"], finished="09/03/2026")
    counts = [_count(client, url) for url in urls]
    add_dossiers(world, world.B, ["B-1", "B-2"], finished="12/03/2026")
    add_dossiers(world, world.A, ["A-2"], procedure_code=KHAI_SINH)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_month_and_procedure_figures_query_counts_do_not_grow(
    client, world, catalogue, django_assert_num_queries
):
    """A procedure's months and the agency's months: one month or several, one channel or
    three, the same queries (the monthly tables, grouped in the database)."""
    urls = [
        reverse("records:procedure_figures", args=[catalogue["lltp"].pk]) + MONTHS,
        reverse("records:month_figures") + MONTHS,
    ]
    client.force_login(world.an)
    add_dossiers(world, world.A, ["M-1"], finished="09/03/2026")
    counts = []
    for url in urls:
        client.get(url)  # warm the caches (session, scope)
        counts.append(_count(client, url))
    for month, channel in [(1, "Trực tuyến"), (2, "Bưu chính công ích"), (3, "Trực tuyến")]:
        add_dossiers(
            world,
            world.A,
            [f"M-{month}-{n}" for n in range(3)],
            received=f"02/{month:02d}/2026 08:00",
            due=f"20/{month:02d}/2026 17:00",
            finished=f"25/{month:02d}/2026 10:00",
            channel=channel,
        )
    add_dossiers(world, world.A, ["K-1"], procedure_code=KHAI_SINH, finished="05/03/2026")
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200
        assert "02/2026" in response.content.decode()


# --- figures --------------------------------------------------------------------------------


def test_the_on_time_rate_of_a_procedure_for_its_agency(client, world, catalogue):
    add_dossiers(world, world.A, ["A-1", "A-2", "A-3"], finished="09/03/2026")
    add_dossiers(world, world.A, ["A-4"], finished="11/03/2026 00:01")
    add_dossiers(world, world.B, ["B-1"], finished="20/03/2026")
    client.force_login(world.an)
    page = client.get(reverse("records:figures") + MONTHS).content.decode()
    assert LLTP in page and "75,0 %" in page  # 3 of 4 on time (Vietnamese decimal comma)
    detail = client.get(
        reverse("records:procedure_figures", args=[catalogue["lltp"].pk]) + MONTHS
    ).content.decode()
    assert 'data-month="03/2026"' in detail and "75,0 %" in detail
    assert "dossier-chart-data" in detail


def test_an_overseer_ranks_the_agencies_of_the_subtree_only(client, world):
    add_dossiers(world, world.A, ["A-1", "A-2"], finished="09/03/2026")
    add_dossiers(world, world.B, ["B-1", "B-2"], finished="12/03/2026")
    add_dossiers(world, world.C, ["C-1"], finished="09/03/2026")
    client.force_login(world.dung)
    page = client.get(reverse("records:agency_figures") + MONTHS).content.decode()
    assert page.index('data-agency="A"') < page.index('data-agency="B"')  # 100 % before 0 %
    assert 'data-agency="C"' not in page
    tiers = client.get(reverse("records:tier_figures") + MONTHS).content.decode()
    assert 'data-tier="provincial"' in tiers and "50,0 %" in tiers
    client.force_login(world.em)
    assert 'data-agency="A"' not in client.get(reverse("records:agency_figures")).content.decode()


def test_the_overseer_pages_are_not_for_agency_people(client, world):
    client.force_login(world.an)
    assert client.get(reverse("records:agency_figures")).status_code == 404
    assert client.get(reverse("records:tier_figures")).status_code == 404


def test_another_agencys_figures_are_never_shown(client, world):
    add_dossiers(world, world.A, ["A-1"], finished="09/03/2026", procedure_code=KHAI_SINH)
    client.force_login(world.chi)
    page = client.get(reverse("records:figures") + f"{MONTHS}&agency={world.A.pk}")
    assert KHAI_SINH not in page.content.decode()


# --- the import page ----------------------------------------------------------------------------


def test_the_import_page_runs_the_job_and_shows_the_bad_row(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.an)
    upload = SimpleUploadedFile(
        "hoso.csv", csv_bytes([row("HS-1"), row("HS-2", procedure_code="0.000000.LA")])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:dossier_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "0.000000.LA" in page and 'data-testid="import-errors"' in page
    assert Dossier.objects.count() == 0


def test_the_import_page_is_for_the_keepers(client, world):
    for persona in ("binh", "dung"):
        client.force_login(world.persona(persona))
        assert client.get(reverse("records:dossier_import")).status_code == 404


# --- the list of records to keep ------------------------------------------------------------------


def test_the_list_of_records_to_keep_as_docx_pdf_and_xlsx(client, world):
    services.record_type_create(
        actor=world.an,
        agency=world.A,
        data={"name": "Sổ theo dõi hồ sơ", "keeper": "Văn phòng", "permanent": True},
    )
    client.force_login(world.an)
    for name in ("records:keep_docx", "records:keep_pdf", "records:keep_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert response.content[:2] in (b"PK", b"%P")
    dung = client.get(f"{reverse('records:keep_pdf')}?agency={world.A.pk}", follow=False)
    assert dung.status_code == 200


def test_staff_see_the_dossiers_but_not_the_keepers_buttons(client, world):
    add_dossiers(world, world.A, ["A-1"])
    client.force_login(world.binh)
    page = client.get(reverse("records:dossier_list") + MONTHS).content.decode()
    assert "A-1" in page and 'data-testid="dossier-import"' not in page
    assert datetime.date.today()  # the page renders with today's clock (time_machine)


def _sheet_rows(response) -> list[tuple]:
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(c for c in r) for r in sheet.iter_rows(values_only=True)]


def test_the_month_procedure_and_tier_figures_export_as_xlsx(client, world, catalogue):
    add_dossiers(world, world.A, ["A-1", "A-2", "A-3"], finished="09/03/2026")
    add_dossiers(world, world.A, ["A-4"], finished="11/03/2026 00:01")
    add_dossiers(world, world.B, ["B-1"], finished="20/03/2026")
    export = "?month_from=03/2026&month_to=03/2026&export=xlsx"

    client.force_login(world.an)
    for url in (
        reverse("records:month_figures"),
        reverse("records:procedure_figures", args=[catalogue["lltp"].pk]),
    ):
        rows = _sheet_rows(client.get(url + export))
        march = [r for r in rows if r and r[0] == "03/2026"]
        # received, finished, on time, late, in progress, overdue, rate: A's only (not B's)
        assert march == [("03/2026", 4, 4, 3, 1, 0, 0, 75)], rows

    client.force_login(world.dung)
    rows = _sheet_rows(client.get(reverse("records:tier_figures") + export))
    # by tier: both departments (B-1 finished after its due day); then the subtree's agencies
    assert ("Cấp tỉnh", 5, 5, 3, 2, 0, 0, 60) in rows, rows
    assert ("Sở Tư pháp", 4, 4, 3, 1, 0, 0, 75) in rows, rows
    client.force_login(world.an)
    assert client.get(reverse("records:tier_figures") + export).status_code == 404
