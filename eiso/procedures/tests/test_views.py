"""Pages of administrative procedures, through the test client: the catalogue (read by all,
kept by overseers and admins), an agency's handled procedures and their coverage, the
overseers' roll-up, the ISO procedure's step table; isolation, refusals and query counts."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract
from eiso.documents import services as documents
from eiso.documents.tests.factories import docx_upload, issue_revisions, make_draft, tr, xlsx_rows
from eiso.organizations.tests.factories import AgencyFactory
from eiso.procedures import services
from eiso.procedures.imports import ProcedureImporter
from eiso.procedures.models import (
    AdministrativeProcedure,
    HandledProcedure,
    IsoProcedure,
)
from eiso.procedures.tests.factories import (
    STEPS,
    handled,
    iso_procedure,
    newest_revision,
    procedure,
)

pytestmark = pytest.mark.usefixtures("_media")


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def body(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def handled_url(agency=None, name="procedures:handled", **params) -> str:
    query = {"agency": agency.pk} if agency is not None else {}
    query.update(params)
    url = reverse(name)
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def add_url(agency) -> str:
    return handled_url(agency, "procedures:handled_add")


def remove_url(agency) -> str:
    return handled_url(agency, "procedures:handled_remove")


def steps_url(document, name="procedures:steps") -> str:
    return reverse(name, args=[document.pk])


def step_post(rows, **extra) -> dict:
    data = {"steps-TOTAL_FORMS": str(len(rows)), "steps-INITIAL_FORMS": "0", **extra}
    for index, (name, responsible, days) in enumerate(rows):
        data[f"steps-{index}-name"] = name
        data[f"steps-{index}-responsible"] = responsible
        data[f"steps-{index}-time_days"] = days
        data[f"steps-{index}-forms_results"] = ""
    return data


# --- isolation ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestHandledPagesIsolation(IsolationContract):
    """An agency's handled procedures: its ISO secretary and head manage them
    (``can_manage_scope``); its overseers read them and change nothing (issue 8, item 8);
    another agency gets 404."""

    def make(self, world, agency):
        tthc = procedure(world, f"1.00{agency.pk:04d}.H-{agency.code}")
        handled(world, agency, tthc)
        return HandledProcedure.objects.get(agency=agency, procedure=tthc)

    def list_url(self):
        return reverse("procedures:handled")

    def marker(self, obj):
        return obj.procedure.code

    def read_urls(self, obj):
        return [handled_url(obj.agency), handled_url(obj.agency, export="xlsx")]

    def change_requests(self, obj):
        return [
            ("post", remove_url(obj.agency), {"procedures": [obj.procedure_id]}),
            ("post", add_url(obj.agency), {"mode": "picked", "procedures": [obj.procedure_id]}),
            ("post", add_url(obj.agency), {"mode": "matching", "level": "commune"}),
        ]

    def create_request(self, world, agency):
        procedure(world, level="commune")
        return ("post", add_url(agency), {"mode": "matching", "level": "commune"})

    def count(self):
        return HandledProcedure.objects.filter(is_active=True).count()


@pytest.mark.django_db
class TestStepPagesIsolation(IsolationContract):
    """An ISO procedure's link and step table: read where the document is read, changed by its
    agency's ISO secretary or head only."""

    def make(self, world, agency):
        tthc = procedure(world)
        handled(world, agency, tthc)
        document = iso_procedure(world, agency, tthc, code=f"QT-TTHC-{agency.code}", steps=STEPS)
        document.tthc = tthc
        return document

    def list_url(self):
        return reverse("procedures:handled")  # shows the ISO procedure of each handled TTHC

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [steps_url(obj)]

    def change_requests(self, obj):
        return [
            ("get", steps_url(obj, "procedures:steps_edit"), {}),
            ("post", steps_url(obj, "procedures:steps_edit"), step_post([("x", "y", "1")])),
            ("post", steps_url(obj, "procedures:unlink"), {}),
            ("post", steps_url(obj, "procedures:link"), {"procedure": obj.tthc.pk}),
        ]

    def create_request(self, world, agency):
        tthc = procedure(world)
        handled(world, agency, tthc)
        document, _ = make_draft(world, agency, "QT-CHUA-LIEN-KET", with_file=False)
        return ("post", steps_url(document, "procedures:link"), {"procedure": tthc.pk})

    def count(self):
        return IsoProcedure.objects.count()


# --- the catalogue ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_signed_in_reads_the_catalogue_and_only_keepers_see_its_buttons(client, world):
    procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune", field="Hộ tịch")
    url = reverse("procedures:catalogue")
    assert client.get(url).status_code == 302  # to the login page
    for persona in ("binh", "an", "hai", "chi"):
        client.force_login(world.persona(persona))
        response = client.get(url)
        assert response.status_code == 200 and "2.000635" in body(response)
        assert reverse("procedures:catalogue_create") not in body(response)
    client.force_login(world.dung)
    response = client.get(url)
    assert reverse("procedures:catalogue_create") in body(response)
    assert reverse("procedures:catalogue_import") in body(response)


@pytest.mark.django_db
def test_only_keepers_change_the_catalogue(client, world):
    tthc = procedure(world, "2.000635")
    client.force_login(world.an)
    for url in (
        reverse("procedures:catalogue_create"),
        reverse("procedures:catalogue_edit", args=[tthc.pk]),
        reverse("procedures:catalogue_import"),
        reverse("procedures:catalogue_import_sample"),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("procedures:catalogue_create"),
        {"code": "2.999999", "name": "Lạ", "level": "commune"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("procedures:catalogue_edit", args=[tthc.pk]),
        {"name": "Đổi tên", "level": "commune"},
    )
    assert response.status_code == 404
    assert not AdministrativeProcedure.objects.filter(code="2.999999").exists()
    tthc.refresh_from_db()
    assert tthc.name != "Đổi tên"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "days", "within_the_day"),
    [
        ("05 ngày làm việc", Decimal("5"), False),
        ("0,5", Decimal("0.5"), False),
        ("Trong ngày", None, True),
    ],
)
def test_a_keeper_adds_a_procedure_with_the_time_limit_as_published(
    client, world, typed, days, within_the_day
):
    client.force_login(world.dung)
    response = client.post(
        reverse("procedures:catalogue_create"),
        {
            "code": "1.001612.000.00.00.H01",
            "name": "Cấp Phiếu lý lịch tư pháp",
            "field": "Lý lịch tư pháp",
            "level": "provincial",
            "time_limit": typed,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    saved = AdministrativeProcedure.objects.get(code="1.001612.000.00.00.H01")
    assert (saved.time_limit_days, saved.within_the_day) == (days, within_the_day)
    assert saved.time_limit_text == typed and saved.is_active
    assert AuditEvent.objects.filter(action="procedure.create", actor=world.dung).exists()


@pytest.mark.django_db
def test_a_duplicate_code_is_refused_and_the_form_keeps_what_was_typed(client, world):
    procedure(world, "2.000635")
    client.force_login(world.dung)
    response = client.post(
        reverse("procedures:catalogue_create"),
        {"code": "2.000635", "name": "Tên đã gõ", "level": "commune", "time_limit": "3"},
    )
    assert response.status_code == 200
    assert "Tên đã gõ" in body(response)
    assert response.context["form"].errors["code"] == [
        tr("The code %(code)s is already in the catalogue.", code="2.000635")
    ]
    assert AdministrativeProcedure.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("level", {"level": "central", "time_limit": "3"}),
        ("time_limit", {"level": "commune", "time_limit": "ba ngày"}),
        ("name", {"level": "commune", "name": ""}),
    ],
)
def test_bad_catalogue_input_is_refused_and_nothing_is_saved(client, world, field, data):
    client.force_login(world.dung)
    response = client.post(
        reverse("procedures:catalogue_create"), {"code": "2.000111", "name": "Tên", **data}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="invalid-feedback d-block"' in body(response)
    assert not AdministrativeProcedure.objects.exists()


@pytest.mark.django_db
def test_editing_keeps_the_code_and_is_audited(client, world):
    tthc = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    client.force_login(world.quan)
    url = reverse("procedures:catalogue_edit", args=[tthc.pk])
    assert 'value="2.000635"' in body(client.get(url))
    response = client.post(
        url,
        {
            "code": "9.999",  # disabled: ignored
            "name": "Đăng ký khai sinh",
            "level": "commune",
            "time_limit": "Trong ngày",
            "fee": "Miễn phí",
        },
    )
    assert response.status_code == 302
    tthc.refresh_from_db()
    assert tthc.code == "2.000635" and tthc.within_the_day and not tthc.is_active
    assert tthc.fee == "Miễn phí"
    assert AuditEvent.objects.filter(action="procedure.update", object_id=str(tthc.pk)).exists()
    response = client.post(
        url, {"name": "Đăng ký khai sinh", "level": "commune", "time_limit": "x"}
    )
    assert response.context["form"].errors["time_limit"]
    tthc.refresh_from_db()
    assert tthc.within_the_day


@pytest.mark.django_db
def test_the_catalogue_searches_without_diacritics_filters_and_sorts(client, world):
    procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune", field="Hộ tịch")
    procedure(world, "2.000488", name="Chứng thực bản sao", level="commune", field="Chứng thực")
    procedure(world, "1.000001", name="Cấp phép xây dựng", level="provincial", field="Xây dựng")
    procedure(world, "1.000002", name="Thủ tục đã bãi bỏ", level="district", is_active=False)
    client.force_login(world.an)
    url = reverse("procedures:catalogue")

    def codes(**params):
        response = client.get(url, params)
        return [p.code for p in response.context["object_list"]]

    assert codes(q="dang ky khai sinh") == ["2.000635"]
    assert codes(field="Chứng thực") == ["2.000488"]
    assert codes(level="commune") == ["2.000488", "2.000635"]
    assert codes(status="abolished") == ["1.000002"]
    assert codes(status="active", ordering="-code") == ["2.000635", "2.000488", "1.000001"]
    by_name = codes(ordering="name")  # the order of names is the database's collation
    assert by_name == list(reversed(codes(ordering="-name"))) and len(by_name) == 4


@pytest.mark.django_db
def test_the_catalogue_shows_and_exports_how_many_agencies_handle_each(client, world):
    birth = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    handled(world, world.A, birth)
    handled(world, world.B, birth)
    client.force_login(world.binh)
    response = client.get(reverse("procedures:catalogue"))
    assert response.context["object_list"][0].agency_count == 2
    rows = xlsx_rows(client.get(reverse("procedures:catalogue"), {"export": "xlsx"}))
    assert rows[0][0] == tr("Code")
    assert rows[1][0] == "2.000635" and rows[1][-1] == 2


@pytest.mark.django_db
def test_catalogue_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    first = procedure(world, "2.000001")
    handled(world, world.A, first)
    client.force_login(world.an)
    url = reverse("procedures:catalogue")
    # session, user, memberships, unread notifications, fields (filter form), count, page
    with django_assert_num_queries(7):
        client.get(url)
    for n in range(20):
        handled(world, world.B, procedure(world, f"2.1{n:05d}", field=f"Lĩnh vực {n}"))
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 21


@pytest.mark.django_db
def test_the_catalogue_import_previews_then_saves_every_row(client, world):
    client.force_login(world.dung)
    url = reverse("procedures:catalogue_import")
    assert client.get(url).status_code == 200
    header = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết\n"
    bad = io.BytesIO((header + "2.000635,Đăng ký khai sinh,Hộ tịch,trung ương,1\n").encode())
    bad.name = "bad.csv"
    response = client.post(url, {"file": bad})
    assert 'data-testid="import-errors"' in body(response)
    assert not AdministrativeProcedure.objects.exists()
    good = io.BytesIO((header + "2.000635,Đăng ký khai sinh,Hộ tịch,xã,Trong ngày\n").encode())
    good.name = "good.csv"
    response = client.post(url, {"file": good})
    assert 'data-testid="import-ok"' in body(response)
    response = client.post(url, {"batch": response.context["batch"].pk})
    assert response.status_code == 302
    assert AdministrativeProcedure.objects.get(code="2.000635").within_the_day


@pytest.mark.django_db
def test_the_sample_import_file_opens_and_imports(client, world):
    client.force_login(world.dung)
    response = client.get(reverse("procedures:catalogue_import_sample"))
    rows = xlsx_rows(response)
    assert rows[0][0] == tr("Code") and len(rows) == 1 + len(ProcedureImporter.sample_rows)
    upload = io.BytesIO(response.content)
    upload.name = "mau.xlsx"
    response = client.post(reverse("procedures:catalogue_import"), {"file": upload})
    assert response.context["report"].ok, response.context["report"].errors


# --- handled procedures and coverage --------------------------------------------------------------


@pytest.fixture
def scope(world):
    """A handles three procedures: one covered by an issued ISO procedure, one with a draft
    ISO procedure (still a gap), one with none."""
    covered = procedure(world, "1.000100", name="Cấp Phiếu lý lịch tư pháp", field="Lý lịch")
    drafted = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    bare = procedure(world, "2.000488", name="Chứng thực bản sao", level="commune")
    handled(world, world.A, covered, drafted, bare)
    iso_procedure(world, world.A, covered, code="QT-LLTP", issued=True, steps=STEPS)
    iso_procedure(world, world.A, drafted, code="QT-KS")
    return covered, drafted, bare


@pytest.mark.django_db
def test_the_handled_list_shows_coverage_and_gaps(client, world, scope):
    covered, drafted, bare = scope
    client.force_login(world.an)
    response = client.get(reverse("procedures:handled"))
    coverage = response.context["coverage"]
    assert (coverage.handled, coverage.covered, coverage.gaps, coverage.percent) == (3, 1, 2, 33)
    page = body(response)
    document = IsoProcedure.objects.get(procedure=covered).document
    assert reverse("documents:detail", args=[document.pk]) in page
    assert page.count('data-testid="gap"') == 2
    assert reverse("procedures:handled_add") in page  # the secretary manages the list

    def codes(**params):
        return [
            h.procedure.code
            for h in client.get(reverse("procedures:handled"), params).context["object_list"]
        ]

    assert codes(coverage="gap") == ["2.000488", "2.000635"]
    assert codes(coverage="covered") == ["1.000100"]
    assert codes(level="commune", q="khai sinh") == ["2.000635"]
    assert codes(field="Lý lịch") == ["1.000100"]


@pytest.mark.django_db
def test_the_handled_list_exports_xlsx(client, world, scope):
    client.force_login(world.hai)
    rows = xlsx_rows(client.get(reverse("procedures:handled"), {"export": "xlsx"}))
    assert [row[0] for row in rows[1:]] == ["1.000100", "2.000488", "2.000635"]
    assert rows[1][5] == "QT-LLTP" and rows[1][6] == tr("Covered")
    assert rows[3][5] == "QT-KS" and rows[3][6] == tr("Gap (not issued yet)")


@pytest.mark.django_db
def test_staff_read_the_list_but_cannot_change_it(client, world, scope):
    client.force_login(world.binh)
    response = client.get(reverse("procedures:handled"))
    assert response.status_code == 200 and not response.context["can_manage"]
    assert reverse("procedures:handled_remove") not in body(response)
    assert client.get(add_url(world.A)).status_code == 404
    response = client.post(remove_url(world.A), {"procedures": [scope[0].pk]})
    assert response.status_code == 404
    assert HandledProcedure.objects.filter(agency=world.A, is_active=True).count() == 3


@pytest.mark.django_db
def test_adding_by_level_adds_every_in_force_procedure_of_that_level(client, world):
    procedure(world, "2.000635", level="commune")
    procedure(world, "2.000488", level="commune")
    procedure(world, "2.000001", level="commune", is_active=False)
    procedure(world, "1.000001", level="provincial")
    client.force_login(world.an)
    response = client.post(add_url(world.A), {"mode": "matching", "level": "commune"})
    assert response.status_code == 302
    assert set(
        HandledProcedure.objects.filter(agency=world.A).values_list("procedure__code", flat=True)
    ) == {"2.000635", "2.000488"}
    event = AuditEvent.objects.get(action="scope.add_procedures")
    assert event.agency == world.A and event.actor == world.an


@pytest.mark.django_db
def test_adding_by_field_or_by_ticking(client, world):
    birth = procedure(world, "2.000635", field="Hộ tịch", level="commune")
    procedure(world, "2.000636", field="Hộ tịch", level="commune")
    copy = procedure(world, "2.000488", field="Chứng thực", level="commune")
    client.force_login(world.hai)
    page = client.get(add_url(world.A), {"field": "Hộ tịch"})
    assert [p.code for p in page.context["object_list"]] == ["2.000635", "2.000636"]
    client.post(add_url(world.A), {"mode": "picked", "procedures": [copy.pk]})
    assert HandledProcedure.objects.filter(agency=world.A).count() == 1
    client.post(add_url(world.A), {"mode": "matching", "field": "Hộ tịch"})
    assert HandledProcedure.objects.filter(agency=world.A).count() == 3
    page = client.get(add_url(world.A))
    assert list(page.context["object_list"]) == []  # nothing left to add
    assert birth.handled_by.get().since is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "matching"}, "Choose a field or a level (or tick procedures one by one) first."),
        ({"mode": "picked"}, "Tick at least one procedure to add."),
    ],
)
def test_adding_nothing_in_particular_is_refused(client, world, data, message):
    procedure(world, "2.000635", level="commune")
    client.force_login(world.an)
    response = client.post(add_url(world.A), data)
    assert response.status_code == 200
    assert tr(message) in body(response)
    assert not HandledProcedure.objects.exists()


@pytest.mark.django_db
def test_an_abolished_procedure_cannot_be_ticked(client, world):
    gone = procedure(world, "2.000001", is_active=False)
    client.force_login(world.an)
    response = client.post(add_url(world.A), {"mode": "picked", "procedures": [gone.pk]})
    assert response.status_code == 200 and response.context["form"].errors["procedures"]
    assert not HandledProcedure.objects.exists()


@pytest.mark.django_db
def test_assigning_to_another_agency_is_404_and_saves_nothing(client, world):
    procedure(world, "2.000635", level="commune")
    client.force_login(world.an)
    response = client.post(add_url(world.B), {"mode": "matching", "level": "commune"})
    assert response.status_code == 404
    assert not HandledProcedure.objects.exists()


@pytest.mark.django_db
def test_removing_keeps_the_history(client, world, scope):
    covered, drafted, bare = scope
    client.force_login(world.an)
    response = client.post(
        remove_url(world.A), {"procedures": [bare.pk, drafted.pk], "reason": "Chuyển về xã"}
    )
    assert response.status_code == 302
    assert list(
        HandledProcedure.objects.filter(agency=world.A, is_active=True).values_list(
            "procedure__code", flat=True
        )
    ) == ["1.000100"]
    assert HandledProcedure.objects.filter(agency=world.A).count() == 3
    assert AuditEvent.objects.get(action="scope.remove_procedures").reason == "Chuyển về xã"
    response = client.post(remove_url(world.A), {}, follow=True)
    assert tr("Tick the procedures the agency no longer handles.") in messages_of(response)


@pytest.mark.django_db
def test_overseers_pick_an_agency_of_their_subtree(client, world, scope):
    client.force_login(world.dung)
    response = client.get(handled_url(world.A))
    assert response.context["agency"] == world.A and response.context["pick_form"]
    assert response.context["coverage"].handled == 3
    client.force_login(world.em)
    assert client.get(handled_url(world.A)).status_code == 404
    client.force_login(world.an)
    assert client.get(handled_url(world.B)).status_code == 404
    assert client.get(reverse("procedures:handled") + "?agency=abc").status_code == 404


@pytest.mark.django_db
def test_handled_list_query_count_does_not_grow_with_rows(
    client, world, scope, django_assert_num_queries
):
    client.force_login(world.an)
    url = reverse("procedures:handled")
    # session, user, memberships, unread notifications, catalogue fields, coverage (2 counts),
    # count, page
    with django_assert_num_queries(9):
        client.get(url)
    more = [procedure(world, f"2.2{n:05d}", field=f"Lĩnh vực {n}") for n in range(20)]
    handled(world, world.A, *more)
    for tthc in more[:5]:
        iso_procedure(world, world.A, tthc)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 23


@pytest.mark.django_db
def test_the_add_page_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    procedure(world, "2.000001", level="commune")
    client.force_login(world.an)
    url = add_url(world.A)
    # session, user, memberships, unread notifications, catalogue fields, count, page
    with django_assert_num_queries(7):
        client.get(url, {"level": "commune"})
    for n in range(20):
        procedure(world, f"2.3{n:05d}", level="commune")
    with django_assert_num_queries(7):
        response = client.get(url, {"level": "commune"})
    assert response.context["page_obj"].paginator.count == 21


@pytest.mark.django_db
def test_coverage_is_for_overseers_only(client, world):
    for persona in ("an", "hai", "binh", "chi"):
        client.force_login(world.persona(persona))
        assert client.get(reverse("procedures:coverage")).status_code == 404, persona


@pytest.mark.django_db
def test_the_rollup_shows_the_subtree_with_percentages_and_drills_down(client, world, scope):
    handled(world, world.B, scope[2])
    client.force_login(world.dung)
    response = client.get(reverse("procedures:coverage"))
    rows = {
        a.code: (a.handled, a.covered, a.gaps, a.percent) for a in response.context["object_list"]
    }
    assert rows["A"][:3] == (3, 1, 2) and round(rows["A"][3]) == 33
    assert rows["B"] == (1, 0, 1, 0.0) and rows["P"][3] is None and "C" not in rows
    total = response.context["total"]
    assert (total.handled, total.covered, total.percent) == (4, 1, 25)
    assert f"{reverse('procedures:handled')}?agency={world.A.pk}" in body(response)
    ordered = client.get(reverse("procedures:coverage"), {"ordering": "-percent"})
    assert [a.code for a in ordered.context["object_list"]] == ["A", "B", "P"]
    ordered = client.get(reverse("procedures:coverage"), {"ordering": "percent"})
    assert [a.code for a in ordered.context["object_list"]] == ["B", "A", "P"]
    by_tier = client.get(reverse("procedures:coverage"), {"q": "so y te"})
    assert [a.code for a in by_tier.context["object_list"]] == ["B"]
    by_root = client.get(reverse("procedures:coverage"), {"root": world.A.pk})
    assert [a.code for a in by_root.context["object_list"]] == ["A"]
    by_kind = client.get(reverse("procedures:coverage"), {"kind": world.P.kind.code})
    assert [a.code for a in by_kind.context["object_list"]] == ["P"]
    client.force_login(world.em)
    assert [a.code for a in client.get(reverse("procedures:coverage")).context["object_list"]] == [
        "Q",
        "C",
    ]


@pytest.mark.django_db
def test_the_rollup_exports_xlsx(client, world, scope):
    client.force_login(world.quan)
    rows = xlsx_rows(client.get(reverse("procedures:coverage"), {"export": "xlsx"}))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["A"][4:] == (3, 1, 2, 33)
    assert by_code["C"][4:] == (0, 0, 0, None)


@pytest.mark.django_db
def test_rollup_query_count_does_not_grow_with_agencies(
    client, world, scope, django_assert_num_queries
):
    client.force_login(world.dung)
    url = reverse("procedures:coverage")
    # session, user, memberships, last audit events (eiso.core.kept), unread notifications,
    # kinds (filter form; the agency is typed, not listed), count, totals, page
    with django_assert_num_queries(9):
        client.get(url)
    with django_assert_num_queries(8):  # the totals kept
        client.get(url)
    for agency in AgencyFactory.create_batch(20, parent=world.P):
        handled(world, agency, scope[2])
    cache.clear()
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 23


@pytest.mark.django_db
def test_the_rollup_totals_are_kept_until_a_change_or_their_age(client, world, scope, settings):
    """The totals (every handled procedure of the subtree) are kept like the dashboard: shown
    again while others change data, for at most DASHBOARD_MAX_AGE; at once after one's own
    change, when asked, or with other filters; the page says when they were computed."""
    settings.DASHBOARD_MAX_AGE = 300
    url = reverse("procedures:coverage")

    def total(**query):
        response = client.get(url, query)
        return response.context["total"].handled, response.content.decode()

    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(world.dung)
        handled_count, page = total()
        assert handled_count == 3 and 'data-testid="computed-at"' in page
        assert "15:00:00" in page  # 08:00 UTC in Hà Nội
        assert total(root=world.B.pk)[0] == 0  # other filters: their own totals
        # another province's overseer never gets dung's kept totals, even naming dung's agency
        client.force_login(world.em)
        assert total()[0] == 0
        assert total(root=world.A.pk)[0] == 0  # not theirs: the filter is refused, not obeyed
        client.force_login(world.dung)
        services.handled_assign(actor=world.quan, agency=world.B, procedures=[scope[2]])
    # the clock stands still in each step: the totals' age is exact on both sides of the limit
    at = {"tzinfo": datetime.UTC}
    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, 4, 59, **at), tick=False):
        assert total()[0] == 3  # someone else's change: kept while young
        again = client.get(url, {"fresh": "1", "ordering": "-percent"})  # asked to compute again
        assert again.status_code == 302 and again.url == f"{url}?ordering=-percent"
        assert total()[0] == 4  # computed at 08:04:59
    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, 5, **at), tick=False):
        services.handled_assign(actor=world.quan, agency=world.B, procedures=[scope[0]])
    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, 9, 58, **at), tick=False):
        assert total()[0] == 4  # 299 s old: kept
    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, 9, 59, **at), tick=False):
        assert total()[0] == 5  # DASHBOARD_MAX_AGE old: computed again
    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, 10, **at), tick=False):
        assert total()[0] == 5
        client.force_login(world.quan)
        assert total()[0] == 5
        services.handled_remove(actor=world.quan, agency=world.A, procedures=[scope[2]])
        assert total()[0] == 4  # one's own change shows at once


# --- the ISO procedure and its steps -------------------------------------------------------------


@pytest.mark.django_db
def test_the_step_table_shows_the_total_against_the_statutory_time(client, world, scope):
    covered = scope[0]  # 10 days; the steps add up to 9
    document = IsoProcedure.objects.get(procedure=covered).document
    client.force_login(world.binh)  # staff read the issued procedure
    response = client.get(steps_url(document))
    page = body(response)
    assert 'data-testid="mismatch"' in page and "alert-danger" in page
    assert response.context["table"].total_days == 9
    assert "Thẩm định hồ sơ" in page and covered.code in page
    assert steps_url(document, "procedures:steps_edit") not in page
    # the table changes through a new revision: in force once that revision is issued
    second = documents.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.steps_replace(
        actor=world.an,
        revision=second,
        steps=[{"name": "Giải quyết", "responsible": "Phòng", "time_days": "10"}],
    )
    assert 'data-testid="mismatch"' in body(client.get(steps_url(document)))
    documents.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    issue_revisions(world, [second])
    assert 'data-testid="mismatch"' not in body(client.get(steps_url(document)))


@pytest.mark.django_db
def test_the_secretary_rewrites_the_step_table(client, world, scope):
    document = IsoProcedure.objects.get(procedure=scope[1]).document
    client.force_login(world.an)
    edit = steps_url(document, "procedures:steps_edit")
    response = client.get(edit)
    assert len(response.context["formset"].forms) == 1  # an empty first row
    response = client.post(edit, step_post([("Tiếp nhận", "Một cửa", "0,5")], add_row="1"))
    draft = newest_revision(document)
    assert len(response.context["formset"].forms) == 2 and not draft.steps.exists()
    data = step_post(
        [("Tiếp nhận", "Một cửa", "0,5"), ("", "", ""), ("Trả kết quả", "Văn thư", "")]
    )
    response = client.post(edit, data)
    assert response.status_code == 302
    steps = list(draft.steps.order_by("number"))
    assert [(s.number, s.name, s.time_days) for s in steps] == [
        (1, "Tiếp nhận", Decimal("0.50")),
        (2, "Trả kết quả", None),
    ]
    data = step_post([("Tiếp nhận", "Một cửa", "1"), ("Trả kết quả", "Văn thư", "")])
    data["steps-0-DELETE"] = "on"
    client.post(edit, data)
    assert list(draft.steps.values_list("name", flat=True)) == ["Trả kết quả"]


@pytest.mark.django_db
def test_a_step_without_a_responsible_is_refused_and_nothing_is_saved(client, world, scope):
    document = IsoProcedure.objects.get(procedure=scope[0]).document
    draft = documents.revision_start(actor=world.an, document=document, change_summary="Sửa")
    assert draft.steps.count() == 3  # copied from the issued revision
    client.force_login(world.an)
    edit = steps_url(document, "procedures:steps_edit")
    response = client.post(edit, step_post([("Tiếp nhận", "Một cửa", "1"), ("Thẩm định", "", "2")]))
    assert response.status_code == 200
    assert tr("Step %(n)s needs what is done and who is responsible.", n=2) in messages_of(response)
    assert 'value="Thẩm định"' in body(response)  # what was typed is kept
    assert draft.steps.count() == 3
    response = client.post(edit, step_post([("Tiếp nhận", "Một cửa", "ba")]))
    assert response.context["formset"].forms[0].errors["time_days"]
    assert draft.steps.count() == 3


@pytest.mark.django_db
def test_linking_and_unlinking_a_handled_procedure(client, world):
    tthc = procedure(world, "2.000635", name="Đăng ký khai sinh", level="commune")
    stranger = procedure(world, "2.000488", level="commune")
    handled(world, world.A, tthc)
    document, _ = make_draft(world, world.A, "QT-KS", with_file=False)
    client.force_login(world.an)
    page = client.get(steps_url(document))
    assert list(page.context["link_form"].fields["procedure"].queryset) == [tthc]
    response = client.post(steps_url(document, "procedures:link"), {"procedure": stranger.pk})
    assert response.status_code == 200 and response.context["link_form"].errors["procedure"]
    assert not IsoProcedure.objects.exists()
    response = client.post(steps_url(document, "procedures:link"), {"procedure": tthc.pk})
    assert response.status_code == 302
    assert IsoProcedure.objects.get().document == document
    assert "2.000635" in body(client.get(steps_url(document)))
    client.post(steps_url(document, "procedures:unlink"))
    assert not IsoProcedure.objects.exists()


@pytest.mark.django_db
def test_linking_a_form_document_is_refused_with_a_clear_message(client, world):
    tthc = procedure(world, "2.000635", level="commune")
    handled(world, world.A, tthc)
    form, _ = make_draft(world, world.A, "BM-01", kind="form", with_file=False)
    client.force_login(world.an)
    assert client.get(steps_url(form)).context["link_form"] is None
    response = client.post(steps_url(form, "procedures:link"), {"procedure": tthc.pk})
    assert response.status_code == 200
    assert tr("Only a procedure of an administrative procedure can be linked to a TTHC.") in body(
        response
    )
    assert not IsoProcedure.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_edit_steps_or_links(client, world, scope):
    document = IsoProcedure.objects.get(procedure=scope[0]).document
    client.force_login(world.binh)
    assert client.get(steps_url(document, "procedures:steps_edit")).status_code == 404
    assert client.post(steps_url(document, "procedures:unlink")).status_code == 404
    assert IsoProcedure.objects.filter(document=document).exists()


@pytest.mark.django_db
def test_step_page_query_count_does_not_grow_with_steps(
    client, world, scope, django_assert_num_queries
):
    document = IsoProcedure.objects.get(procedure=scope[1]).document
    client.force_login(world.an)
    url = steps_url(document)
    services.steps_replace(
        actor=world.an,
        revision=newest_revision(document),
        steps=[{"name": "Bước", "responsible": "Phòng", "time_days": "1"}],
    )
    # session, user, memberships, unread notifications, document, steps, total, link
    with django_assert_num_queries(8):
        client.get(url)
    services.steps_replace(
        actor=world.an,
        revision=newest_revision(document),
        steps=[{"name": f"Bước {n}", "responsible": "Phòng", "time_days": "1"} for n in range(21)],
    )
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["table"].steps) == 21
