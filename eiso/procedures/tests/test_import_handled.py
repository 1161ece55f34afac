"""The import of agencies' handled procedures (kind "handled_procedures"): a good file
assigns, every bad row is refused with its column and nothing is saved, a secretary imports
only into their own agency; the command, the page and the API."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from eiso.accounts.testing import token_for
from eiso.core.errors import NotPermitted
from eiso.core.imports import import_file
from eiso.procedures.models import HandledProcedure
from eiso.procedures.tests.factories import procedure

HEADER = "Mã đơn vị,Mã thủ tục,Since\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def catalogue(world):
    procedure(world, "2.000635")
    procedure(world, "2.000488")
    procedure(world, "1.000001", is_active=False)


def run(actor, text: str, agency=None):
    return import_file(
        actor=actor,
        agency=agency,
        kind="handled_procedures",
        filename="handled.csv",
        content=text.encode(),
    )


def pairs():
    return set(
        HandledProcedure.objects.filter(is_active=True).values_list(
            "agency__code", "procedure__code"
        )
    )


@pytest.mark.django_db
def test_a_good_file_assigns_per_agency(world, catalogue):
    report = run(
        world.quan,
        HEADER + "A,2.000635,01/02/2024\nA,2.000488,\nB,2.000635,2024-03-05\n",
    )
    assert report.ok, report.errors
    assert pairs() == {("A", "2.000635"), ("A", "2.000488"), ("B", "2.000635")}
    since = HandledProcedure.objects.get(agency=world.A, procedure__code="2.000635").since
    assert since == datetime.date(2024, 2, 1)
    assert HandledProcedure.objects.get(agency=world.A, procedure__code="2.000488").since is None
    # a secretary imports into their own agency; English header names work too
    report = run(world.an, "agency_code,procedure_code\nA,2.000635\n")
    assert report.ok


@pytest.mark.parametrize(
    "line, column",
    [
        ("ZZZ,2.000635,", "agency_code"),  # unknown agency
        ("C,2.000635,", "agency_code"),  # another agency than the secretary's
        (",2.000635,", "agency_code"),  # empty
        ("A,9.999999,", "procedure_code"),  # unknown procedure code
        ("A,1.000001,", "procedure_code"),  # abolished
        ("A,,", "procedure_code"),  # empty
        ("A,2.000488,31/02/2024", "since"),  # not a date
        ("A,2.000635,", "procedure_code"),  # the same pair twice in the file
    ],
)
@pytest.mark.django_db
def test_each_bad_row_is_refused_with_its_column_and_nothing_is_saved(
    world, catalogue, line, column
):
    report = run(world.an, HEADER + "A,2.000635,\n" + line + "\n")
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert all(e.message for e in report.errors)
    assert not HandledProcedure.objects.exists()


@pytest.mark.django_db
def test_unknown_procedure_code_says_so(world, catalogue):
    report = run(world.an, HEADER + "A,9.999999,\n")
    assert [(e.row, e.column) for e in report.errors] == [(2, "procedure_code")]
    assert "Unknown procedure code" in report.errors[0].message
    assert "9.999999" in report.errors[0].message


@pytest.mark.django_db
def test_a_secretary_cannot_import_into_another_agency_and_learns_nothing(world, catalogue):
    report = run(world.an, HEADER + "A,2.000635,\nB,2.000635,\nNOPE,2.000635,\n")
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "agency_code"),
        (4, "agency_code"),
    ]
    foreign, unknown = (e.message for e in report.errors)
    assert foreign.replace("B", "NOPE") == unknown  # the same words for both
    assert not HandledProcedure.objects.exists()
    # overseers read the lists, they do not keep them
    for overseer in (world.dung, world.em):
        with pytest.raises(NotPermitted):
            run(overseer, HEADER + "A,2.000635,\n")


@pytest.mark.django_db
def test_staff_may_not_import_at_all(world, catalogue):
    with pytest.raises(NotPermitted):
        run(world.binh, HEADER + "A,2.000635,\n")


@pytest.mark.django_db
def test_the_command_imports_all_or_nothing(world, catalogue, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A,2.000635,\nB,2.000635,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_handled_procedures", str(bad), "--as", "an", stderr=io.StringIO())
    assert not HandledProcedure.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "A,2.000635,\nA,2.000488,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_handled_procedures", str(good), "--as", "an", stdout=out)
    assert "2" in out.getvalue()
    assert pairs() == {("A", "2.000635"), ("A", "2.000488")}


def _upload(text: str, name: str = "handled.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_the_page_previews_the_errors_then_saves_on_confirm(client, world, catalogue):
    url = reverse("procedures:handled_import")
    client.force_login(world.an)
    handled_page = client.get(reverse("procedures:handled")).content.decode()
    assert url in handled_page
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _upload(HEADER + "A,2.000635,\nB,2.000488,\n")})
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body
    report = response.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(3, "agency_code")]
    assert report.errors[0].message in body
    assert not HandledProcedure.objects.exists()
    response = client.post(url, {"file": _upload(HEADER + "A,2.000635,\n")})
    assert 'data-testid="import-ok"' in response.content.decode()
    response = client.post(url, {"batch": response.context["batch"].pk})
    assert response.status_code == 302
    assert pairs() == {("A", "2.000635")}


@pytest.mark.django_db
def test_staff_see_no_import_button_and_get_404(client, world):
    client.force_login(world.binh)
    url = reverse("procedures:handled_import")
    assert url not in client.get(reverse("procedures:handled")).content.decode()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_api_takes_the_kind(world, catalogue):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.an)}")
    url = reverse("api:import", args=["handled_procedures"])
    response = api.post(
        url + "?dry_run=1",
        {"file": _upload(HEADER + "A,2.000635,\nB,2.000635,\n")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(3, "agency_code")]
    response = api.post(url, {"file": _upload(HEADER + "A,2.000635,\n")}, format="multipart")
    assert response.status_code == 201, response.content
    assert pairs() == {("A", "2.000635")}
