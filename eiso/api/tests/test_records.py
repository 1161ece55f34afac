"""The API of records, the one-stop dossier log and training: isolation, the import of a file
and a system's push (token), all-or-nothing with the bad rows in the one error shape, the
figures grouped, pinned query counts."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.records import services
from eiso.records.models import Dossier, RecordType
from eiso.records.tests.factories import KHAI_SINH, LLTP, csv_bytes, import_rows, procedure, row
from eiso.training import services as training
from eiso.training.models import Certificate, Course

KEEPER = {"A": "an", "B": "chi", "C": "cuong"}


@pytest.fixture(autouse=True)
def april(db):
    with time_machine.travel("2026-04-15 10:00 +0700", tick=False) as traveller:
        procedure()
        procedure(KHAI_SINH, "Đăng ký khai sinh", "commune")
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def keeper(world, agency):
    return world.persona(KEEPER[agency.code])


def add(world, agency, *codes, **kwargs):
    result = import_rows(keeper(world, agency), agency, [row(c, **kwargs) for c in codes])
    assert result.ok, result.errors


@pytest.mark.django_db
class TestDossierApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        code = f"API-{agency.code}-{Dossier.objects.count()}"
        add(world, agency, code)
        return Dossier.objects.get(code=code)

    def list_url(self):
        return url("dossier-list") + "?month_from=2026-01&month_to=2026-12"

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [url("dossier-detail", obj.pk)]


@pytest.mark.django_db
class TestRecordTypeApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return services.record_type_create(
            actor=keeper(world, agency),
            agency=agency,
            data={"name": f"Sổ API {agency.code}", "keeper": "VP", "retention_years": 5},
        )

    def list_url(self):
        return url("record-type-list")

    def marker(self, obj):
        return obj.name

    def read_urls(self, obj):
        return [url("record-type-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("record-type-detail", obj.pk), {"keeper": "X"}),
            ("delete", url("record-type-detail", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            url("record-type-list"),
            {"agency": agency.pk, "name": "Lạ", "keeper": "X", "retention_years": 2},
        )

    def count(self):
        return RecordType.objects.count()


@pytest.mark.django_db
class TestCertificateApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        holder = {"A": world.binh, "B": world.chi, "C": world.cuong}[agency.code]
        return training.certificate_create(
            actor=keeper(world, agency),
            agency=agency,
            holder=holder,
            data={
                "kind": "internal_auditor",
                "issuer": f"Nơi cấp {agency.code}",
                "issued_on": datetime.date(2025, 1, 1),
            },
        )

    def list_url(self):
        return url("certificate-list")

    def marker(self, obj):
        return obj.issuer

    def read_urls(self, obj):
        return [url("certificate-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("certificate-detail", obj.pk), {"number": "X"}),
            ("delete", url("certificate-detail", obj.pk) + "?reason=nham", {}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            url("certificate-list") + f"?agency={agency.pk}",
            {
                "holder": world.binh.pk,
                "kind": "awareness",
                "issuer": "X",
                "issued_on": "2026-01-01",
            },
        )

    def count(self):
        return Certificate.objects.count()


@pytest.mark.django_db
class TestCourseApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return training.course_create(
            actor=keeper(world, agency), agency=agency, data={"title": f"Khóa API {agency.code}"}
        )

    def list_url(self):
        return url("course-list")

    def marker(self, obj):
        return obj.title

    def read_urls(self, obj):
        return [url("course-detail", obj.pk), url("course-sessions", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("course-detail", obj.pk), {"title": "X"}),
            ("post", url("course-sessions", obj.pk), {"starts_on": "2026-04-01", "trainer": "X"}),
        ]

    def create_request(self, world, agency):
        return ("post", url("course-list") + f"?agency={agency.pk}", {"title": "Lạ"})

    def count(self):
        return Course.objects.count()


# --- imports ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_is_imported_all_or_nothing_with_its_bad_rows(api, world):
    api.force_authenticate(world.an)
    bad = SimpleUploadedFile("hoso.csv", csv_bytes([row("F-1"), row("F-2", due="01/01/2026")]))
    error = assert_error_shape(
        api.post(url("dossier-import-file"), {"file": bad}, format="multipart"),
        400,
        "import_rejected",
    )
    assert [(r["row"], r["column"]) for r in error["rows"]] == [(3, "due_at")]
    assert Dossier.objects.count() == 0
    check = api.post(
        url("dossier-import-file") + "?dry_run=1",
        {"file": SimpleUploadedFile("hoso.csv", csv_bytes([row("F-1")]))},
        format="multipart",
    )
    assert check.status_code == 200 and check.json()["ok"] is True
    assert Dossier.objects.count() == 0
    good = SimpleUploadedFile("hoso.csv", csv_bytes([row("F-1"), row("F-2")]))
    done = api.post(url("dossier-import-file"), {"file": good}, format="multipart")
    assert done.status_code == 201, done.content
    assert done.json() == {"rows": 2, "imported": 2, "created": 2, "updated": 0}


@pytest.mark.django_db
def test_a_large_file_is_a_background_job(api, world, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_SYNC_ROWS = 3
    api.force_authenticate(world.an)
    upload = SimpleUploadedFile("hoso.csv", csv_bytes([row(f"J-{n}") for n in range(5)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url("dossier-import-file"), {"file": upload}, format="multipart")
    assert response.status_code == 202
    job = api.get(response.json()["status_url"]).json()
    assert job["status"] == "applied" and Dossier.objects.count() == 5


@pytest.mark.django_db
def test_a_one_stop_system_pushes_with_a_token(as_token, world):
    client = as_token(world.an)
    body = {
        "dossiers": [
            {
                "code": "DVC-1",
                "procedure_code": LLTP,
                "received_at": "2026-03-03T08:00:00+07:00",
                "due_at": "2026-03-10T17:00:00+07:00",
                "finished_at": "2026-03-11T00:01:00+07:00",
                "status": "finished",
                "channel": "online",
            }
        ]
    }
    response = client.post(url("dossier-batch"), body, format="json")
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().on_time is False
    again = client.post(url("dossier-batch"), body, format="json")
    assert again.json()["updated"] == 1 and Dossier.objects.count() == 1
    body["dossiers"][0]["procedure_code"] = "0.LA"
    assert_error_shape(
        client.post(url("dossier-batch"), body, format="json"), 400, "import_rejected"
    )


@pytest.mark.django_db
def test_an_overseer_pushes_nothing(as_token, world):
    response = as_token(world.dung).post(
        url("dossier-batch"),
        {"dossiers": [{"code": "X", "procedure_code": LLTP, "received_at": "x", "due_at": "x"}]},
        format="json",
    )
    assert response.status_code == 403


# --- figures ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_figures_grouped_for_an_agency_and_an_overseer(api, world):
    add(world, world.A, "A-1", "A-2", finished="09/03/2026")
    add(world, world.A, "A-3", finished="12/03/2026")
    add(world, world.B, "B-1", finished="12/03/2026", procedure_code=KHAI_SINH)
    add(world, world.C, "C-1", finished="09/03/2026")
    api.force_authenticate(world.an)
    months = api.get(url("dossier-stats-list")).json()["results"]
    march = next(r for r in months if r["month"] == "2026-03")
    assert (march["finished"], march["late"], march["on_time_rate"]) == (3, 1, 66.7)
    api.force_authenticate(world.dung)
    ranking = api.get(url("dossier-stats-list") + "?group_by=agency").json()["results"]
    assert [r["agency_code"] for r in ranking] == ["A", "B"]
    tiers = api.get(url("dossier-stats-list") + "?group_by=tier").json()["results"]
    assert tiers == [
        {
            "tier": "provincial",
            "received": 4,
            "finished": 4,
            "on_time": 2,
            "late": 2,
            "in_progress": 0,
            "overdue": 0,
            "on_time_rate": 50.0,
        }
    ]
    one = api.get(
        url("dossier-stats-list") + f"?group_by=procedure&root={world.P.pk}&procedure={KHAI_SINH}"
    )
    assert [r["procedure_code"] for r in one.json()["results"]] == [KHAI_SINH]
    assert_error_shape(api.get(url("dossier-stats-list") + "?month_from=2026-13"), 400)
    assert_error_shape(api.get(url("dossier-stats-list") + f"?agency={world.C.pk}"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["dossier-list", "dossier-stats-list", "record-type-list", "certificate-list", "course-list"],
)
def test_list_endpoints_query_counts_do_not_grow(api, world, django_assert_num_queries, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.force_authenticate(world.an)
    target = url(name) + ("?group_by=procedure" if name == "dossier-stats-list" else "")

    def fill(start):
        add(world, world.A, *[f"N-{n}" for n in range(start, start + 3)], finished="12/03/2026")
        procedure(f"8.{start:06d}", name=f"Thủ tục {start}")
        add(world, world.A, f"M-{start}", procedure_code=f"8.{start:06d}")
        services.record_type_create(
            actor=world.an,
            agency=world.A,
            data={"name": f"Sổ {start}", "keeper": "VP", "permanent": True},
        )
        course = training.course_create(
            actor=world.an, agency=world.A, data={"title": f"K {start}"}
        )
        training.session_create(
            actor=world.an,
            course=course,
            data={"starts_on": datetime.date(2026, 4, 1), "trainer": "X"},
        )
        training.certificate_create(
            actor=world.an,
            agency=world.A,
            holder=[world.binh, world.hai][start % 2],
            data={
                "kind": "awareness",
                "issuer": f"X{start}",
                "issued_on": datetime.date(2026, 1, 1),
            },
        )

    fill(0)
    api.get(target)
    with CaptureQueriesContext(connection) as captured:
        api.get(target)
    fill(1)
    fill(2)
    with django_assert_num_queries(len(captured.captured_queries)):
        assert api.get(target).status_code == 200


@pytest.mark.django_db
def test_the_list_of_records_to_keep(api, world):
    services.record_type_create(
        actor=world.an,
        agency=world.A,
        data={"name": "Sổ theo dõi", "keeper": "VP", "permanent": True},
    )
    api.force_authenticate(world.an)
    body = api.get(url("record-type-to-keep")).json()
    assert body["rows"][0]["name"] == "Sổ theo dõi" and body["rows"][0]["state"] == "kept"
    api.force_authenticate(world.chi)  # another agency's list: an unknown agency to B
    assert_error_shape(api.get(url("record-type-to-keep") + f"?agency={world.A.pk}"), 400)
    api.force_authenticate(world.dung)  # the overseer reads it
    assert api.get(url("record-type-to-keep") + f"?agency={world.A.pk}").status_code == 200
