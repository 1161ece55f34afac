"""The monthly figures as objectives, the overseer and the inbox read them; the list of records
to keep following document control (a new revision of a procedure changes its forms on its
effective date, with nobody acting)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from eiso.core import inbox, measures
from eiso.objectives import services as objectives
from eiso.objectives.tests.factories import action_data, issue, objective_data
from eiso.records import kpis, selectors, services
from eiso.records.tests.conftest import at
from eiso.records.tests.factories import KHAI_SINH, import_rows, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- objectives measured from the figures -------------------------------------------------------


def test_the_on_time_rate_source_is_registered_for_objectives():
    source = measures.get(kpis.ON_TIME_SOURCE)
    assert source is not None and source.unit == "%" and not source.manual
    assert kpis.ON_TIME_SOURCE in dict(measures.choices())


def test_an_objective_on_the_on_time_rate_is_measured_from_the_dossiers(world, media):
    with time_machine.travel(at(2026, 5, 10), tick=False):
        import_rows(
            world.an,
            world.A,
            [row(f"Q1-{n}", finished="09/03/2026") for n in range(49)]
            + [row("Q1-late", finished="12/03/2026")]  # 49 of 50 on time in Q1: 98.0 %
            + [row("Q2-1", received="02/04/2026", due="06/04/2026", finished="08/04/2026")],
        )
        objective_set = objectives.objective_set_create(actor=world.an, agency=world.A, year=2026)
        objective = objectives.objective_create(
            actor=world.an,
            objective_set=objective_set,
            data=objective_data(source=kpis.ON_TIME_SOURCE, target=Decimal("98")),
        )
        objectives.plan_action_create(actor=world.an, objective=objective, data=action_data(2026))
        issue(world, objective_set)
        first = objectives.measurement_compute(actor=world.an, objective=objective, period=1)
        second = objectives.measurement_compute(actor=world.an, objective=objective, period=2)
    assert (first.value, first.met) == (Decimal("98.00"), True)
    assert (second.value, second.met) == (Decimal("0.00"), False)  # the one of April, late
    assert first.source == kpis.ON_TIME_SOURCE


def test_the_source_answers_none_for_a_period_without_finished_dossiers(world):
    with time_machine.travel(at(2026, 4, 15), tick=False):
        import_rows(world.an, world.A, [row("HS-1")])
    assert kpis.on_time_rate(world.A, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) is None


# --- the figures ---------------------------------------------------------------------------------


def test_figures_by_procedure_month_agency_tier_and_subtree(world):
    with time_machine.travel(at(2026, 4, 15), tick=False):
        import_rows(world.an, world.A, [row("A-1", finished="09/03/2026"), row("A-2")])
        import_rows(
            world.chi,
            world.B,
            [row("B-1", finished="12/03/2026", procedure_code=KHAI_SINH)],
        )
        import_rows(world.cuong, world.C, [row("C-1", finished="09/03/2026")])
    scope = {
        "user": world.dung,
        "month_from": datetime.date(2026, 1, 1),
        "month_to": datetime.date(2026, 12, 1),
    }
    assert kpis.totals(**scope) == kpis.Figures(3, 2, 1, 1, 1, 1)
    procedures = {r["procedure__code"]: r["rate"] for r in kpis.by_procedure(**scope)}
    assert procedures == {KHAI_SINH: 0.0, "1.004851.000.00.00.H66": 100.0}
    assert [r["agency__code"] for r in kpis.by_agency(**scope)] == ["A", "B"]
    assert [(t.tier, t.figures.rate) for t in kpis.by_tier(**scope)] == [
        ("provincial", Decimal("50.0"))
    ]
    branches = kpis.by_subtree(root=world.P, **scope)
    assert [(b.agency, b.figures.finished) for b in branches] == [(world.A, 1), (world.B, 1)]
    assert kpis.totals(**{**scope, "user": world.an}) == kpis.Figures(2, 1, 1, 0, 1, 1)


# --- the keepers' inbox ------------------------------------------------------------------------------


def test_an_overdue_dossier_waits_in_the_keepers_inbox_from_the_day_after_it_is_due(world):
    def overdue(user):
        return [i for i in inbox.inbox_for(user, kinds=["records.overdue"])]

    with time_machine.travel(at(2026, 4, 14, 23, 59), tick=False) as clock:
        import_rows(world.an, world.A, [row("HS-1", received="10/04/2026", due="14/04/2026 17:00")])
        assert overdue(world.an) == []  # the due day itself
        clock.move_to(at(2026, 4, 15, 0, 1))
        items = overdue(world.an)
        assert [i.title.split(" — ")[0] for i in items] == ["HS-1"]
        assert items[0].due == datetime.date(2026, 4, 14)
        assert overdue(world.hai) and not overdue(world.binh) and not overdue(world.chi)


# --- the list of records to keep follows document control -------------------------------------------


def _procedure_with_forms(world, forms: str, code: str = "QT-LLTP"):
    from eiso.documents.tests.factories import drafter, issue_revisions, make_draft
    from eiso.procedures import services as procedures

    document, revision = make_draft(world, world.A, code, title=f"Quy trình {code}")
    procedures.steps_replace(
        actor=drafter(world, world.A),
        revision=revision,
        steps=[
            {
                "name": "Tiếp nhận",
                "responsible": "Một cửa",
                "time_days": "1",
                "forms_results": forms,
            },
            {"name": "Giải quyết", "responsible": "Phòng", "time_days": "9", "forms_results": ""},
        ],
    )
    issue_revisions(world, [revision])
    document.refresh_from_db()
    return document


def test_the_list_to_keep_shows_the_forms_of_the_procedures_in_force(world, media):
    with time_machine.travel("2027-01-11 09:00 +0700", tick=False):
        document = _procedure_with_forms(world, "Tờ khai BM-01; Phiếu kiểm soát hồ sơ")
        keep = selectors.records_to_keep(user=world.an, agency=world.A)
        assert [(r.name, r.form_code, r.state) for r in keep.rows] == [
            ("Tờ khai BM-01", "BM-01", "missing"),
            ("Phiếu kiểm soát hồ sơ", "", "missing"),
        ]
        created = services.record_types_adopt(actor=world.an, agency=world.A, rows=keep.missing)
        assert {r.document for r in created} == {document}
        keep = selectors.records_to_keep(user=world.an, agency=world.A)
        assert [r.state for r in keep.rows] == ["kept", "kept"]


def test_the_keep_list_page_query_count_does_not_grow(
    client, world, media, django_assert_num_queries
):
    """The page of the list to keep: one procedure or three, kept or missing forms, the same
    queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with time_machine.travel("2027-01-11 09:00 +0700", tick=False):
        _procedure_with_forms(world, "Tờ khai BM-01", code="QT-01")
        client.force_login(world.an)
        url = f"{reverse('records:keep')}?agency={world.A.pk}"
        client.get(url)  # warm the caches (session, scope)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        _procedure_with_forms(world, "Tờ khai BM-02; Phiếu kiểm soát BM-03", code="QT-02")
        _procedure_with_forms(world, "Sổ theo dõi BM-04", code="QT-03")
        services.record_types_adopt(
            actor=world.an,
            agency=world.A,
            rows=selectors.records_to_keep(user=world.an, agency=world.A).missing[:2],
        )
        with django_assert_num_queries(len(captured.captured_queries)):
            response = client.get(url)
    page = response.content.decode()
    assert all(code in page for code in ("BM-01", "BM-02", "BM-03", "BM-04"))


def test_a_new_revision_changes_the_list_on_its_effective_date(world, media):
    from eiso.documents import services as documents
    from eiso.documents.tests.factories import approve, docx_upload
    from eiso.procedures import services as procedures

    with time_machine.travel("2027-01-11 09:00 +0700", tick=False):
        document = _procedure_with_forms(world, "Tờ khai BM-01")
        services.record_types_adopt(
            actor=world.an,
            agency=world.A,
            rows=selectors.records_to_keep(user=world.an, agency=world.A).missing,
        )
    effective = datetime.date(2027, 3, 15)
    with time_machine.travel("2027-03-01 09:00 +0700", tick=False):
        second = documents.revision_start(actor=world.an, document=document, change_summary="BM-02")
        documents.revision_update(
            actor=world.an, revision=second, data={"effective_date": effective}
        )
        documents.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
        procedures.steps_replace(
            actor=world.an,
            revision=second,
            steps=[
                {
                    "name": "Tiếp nhận",
                    "responsible": "Một cửa",
                    "time_days": "10",
                    "forms_results": "Tờ khai BM-02",
                }
            ],  # fmt: skip
        )
        approve(world, second)
        decision = documents.decision_create(
            actor=world.an,
            agency=world.A,
            subject="Sửa đổi quy trình",
            signer_name="Đặng Văn Hải",
            signer_title="GIÁM ĐỐC",
            revisions=[second],
        )
        documents.decision_sign(
            actor=world.hai, decision=decision, number="9", date=datetime.date(2027, 3, 1)
        )

    def states(day):
        keep = selectors.records_to_keep(user=world.an, agency=world.A, on=day)
        return sorted((r.form_code, r.state) for r in keep.rows)

    with time_machine.travel("2027-03-14 09:00 +0700", tick=False):
        assert states(datetime.date(2027, 3, 14)) == [("BM-01", "kept")]  # the eve
    with time_machine.travel("2027-03-15 09:00 +0700", tick=False):
        assert states(effective) == [("BM-01", "outdated"), ("BM-02", "missing")]
