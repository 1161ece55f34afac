"""The overseer's dashboard (the home page of overseers and administrators): every panel for any
subtree and day, each number linking to the list behind it, every panel exportable, the league
table with its formula, one agency's page; a superior agency sees its own subtree; the query
count does not grow with the agencies."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.cycle.tests.year import build_year
from eiso.dashboard import selectors
from eiso.dashboard.models import ScoreFormula
from eiso.objectives.tests.conftest import at
from eiso.organizations.tests.factories import AgencyFactory, kind
from eiso.reports.tests.factories import inspected, inspection_plan, record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 12, 20)


@pytest.fixture(autouse=True)
def december():
    with time_machine.travel(at(2023, 12, 20), tick=False) as traveller:
        yield traveller


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_overseer_s_home_is_the_dashboard_of_the_subtree(client, world):
    build_year(world)
    client.force_login(world.dung)
    page = body(client.get(reverse("dashboard:home")))
    for panel in ("panel-tiers", "panel-obligations", "panel-ranking", "panel-trends"):
        assert f'data-testid="{panel}"' in page
    assert 'data-testid="home-inbox"' in page  # the inbox stays on top
    board = selectors.dashboard(user=world.dung, root=world.P, on=DAY)
    assert board.agencies == 3  # P, A, B
    annual = next(o for o in board.obligations if o["code"] == "annual_report")
    assert annual["met"] == 1 and annual["overdue"] == 2  # A met it; P and B did not
    assert board.scores[0].agency == world.A  # the agency that followed the dates leads
    assert f'href="{reverse("cycle:matrix")}?' in page  # the numbers drill down


def test_the_dashboard_of_another_day_counts_what_existed_then(world):
    build_year(world)
    early = selectors.dashboard(user=world.dung, root=world.P, on=datetime.date(2023, 2, 10))
    annual = next(o for o in early.obligations if o["code"] == "annual_report")
    assert annual["met"] == 0 and annual["overdue"] == 0
    plan = next(o for o in early.obligations if o["code"] == "objectives")
    assert plan["met"] == 1 and plan["overdue"] == 2


def test_another_subtree_is_a_404_and_agency_people_keep_their_home(client, world):
    client.force_login(world.em)
    assert client.get(reverse("dashboard:home") + f"?root={world.P.pk}").status_code == 404
    client.force_login(world.an)
    page = body(client.get(reverse("dashboard:home")))
    assert 'data-testid="panel-tiers"' not in page and 'data-testid="to-read"' in page


def test_a_superior_agency_sees_the_same_for_its_communes(client, world):
    district = AgencyFactory(
        code="H1", name="UBND huyện Đông", kind=kind("ubnd_huyen"), parent=world.P
    )
    commune = AgencyFactory(code="X1", name="UBND xã Tây", kind=kind("ubnd_xa"), parent=district)
    other = AgencyFactory(code="X2", name="UBND xã Bắc", kind=kind("ubnd_xa"), parent=world.P)
    chair = UserFactory(username="huyen")
    MembershipFactory(user=chair, agency=district, role=Role.OVERSEER)
    client.force_login(chair)
    page = body(client.get(reverse("dashboard:home")))
    assert "UBND huyện Đông" in page
    board = selectors.dashboard(user=chair, root=district, on=DAY)
    codes = {s.agency.code for s in board.scores} | {t["tier"] for t in board.tiers}
    assert "X1" in codes or commune.must_apply is False
    assert "X2" not in codes and "A" not in codes
    assert client.get(reverse("dashboard:agency", args=[other.pk])).status_code == 404


def test_every_panel_is_exported(client, world):
    build_year(world)
    client.force_login(world.dung)
    for panel in ("tiers", "obligations", "ranking", "trends", "indicators"):
        response = client.get(reverse("dashboard:home") + f"?export={panel}")
        assert response.status_code == 200, panel
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 4, panel
    assert client.get(reverse("dashboard:home") + "?export=nothing").status_code == 404


def test_the_league_table_shows_its_formula_kept_as_data(client, world):
    build_year(world)
    client.force_login(world.dung)
    page = body(client.get(reverse("dashboard:ranking")))
    formula = ScoreFormula.objects.get()
    assert "35 ×" in page and formula.name in page
    assert page.index('data-testid="rank-A"') < page.index('data-testid="rank-B"')
    ordered = body(client.get(reverse("dashboard:ranking") + "?order=announced"))
    assert 'data-testid="rank-A"' in ordered
    response = client.get(reverse("dashboard:ranking") + "?export=xlsx")
    assert load_workbook(io.BytesIO(response.content)).active.max_row >= 5


def test_an_administrator_versions_the_formula(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("dashboard:formula_create"),
        {
            "name": "Điểm 2024",
            "effective_from": "01/01/2024",
            "basis": "Thử",
            "w_obligations_on_time": 50,
            "w_announced": 50,
        },
    )
    assert response.status_code == 302
    assert ScoreFormula.objects.count() == 2
    client.force_login(world.dung)
    assert client.get(reverse("dashboard:formula_create")).status_code == 404
    page = body(client.get(reverse("dashboard:formula")))
    assert "Điểm 2024" in page


def test_one_agency_s_page(client, world):
    build_year(world)
    client.force_login(world.dung)
    page = body(client.get(reverse("dashboard:agency", args=[world.A.pk])))
    assert 'data-testid="agency-obligations"' in page and "45/BC-A" in page
    assert client.get(reverse("dashboard:agency", args=[world.C.pk])).status_code == 404


def test_the_dashboard_costs_the_same_whatever_the_number_of_agencies(
    client, world, django_assert_num_queries
):
    build_year(world)
    client.force_login(world.dung)
    url = reverse("dashboard:home")
    client.get(url)
    cache.clear()  # computed each time, not kept (selectors.dashboard_kept)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        agency = AgencyFactory(code=f"Z{n}", parent=world.P)
        if n % 3 == 0:
            build_year(world, agency=agency)
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_subtree_is_typed_not_listed(client, world):
    """An overseer of the country has 5,000 agencies: the 'Under' field suggests as one types
    instead of listing them all in a <select>; the chosen one is kept."""
    client.force_login(world.dung)
    body = client.get(reverse("dashboard:home") + f"?root={world.A.pk}").content.decode()
    assert "data-agency-field" in body and f'name="root" value="{world.A.pk}"' in body
    assert '<select name="root"' not in body
    assert client.get(reverse("dashboard:home") + f"?root={world.C.pk}").status_code == 404


# --- inspected this year (the inspections module's count) -------------------------------------

INSPECTED_DAY = datetime.date(2026, 12, 10)


def test_the_agencies_inspected_this_year_their_share_and_the_list_behind(client, world):
    inspected(world, world.A, world.B)  # records made on 15/06/2026 in P's approved plan
    inspected(world, world.C, province=world.Q)  # another province's
    with time_machine.travel(at(2026, 12, 10), tick=False):
        board = selectors.dashboard(user=world.dung, root=world.P, on=INSPECTED_DAY)
        assert board.agencies == 4  # P, A, B and D (the Sở KH&CN that inspects)
        assert board.inspected == {
            "count": 2,
            "agencies": 4,
            "pct": 50.0,
            "by_tier": {"provincial": 2},
        }
        early = selectors.dashboard(user=world.dung, root=world.P, on=datetime.date(2026, 6, 14))
        assert early.inspected["count"] == 0  # the records are dated 15/06
        next_year = selectors.dashboard(user=world.dung, root=world.P, on=datetime.date(2027, 1, 5))
        assert next_year.inspected["count"] == 0  # a new year, nothing inspected yet
        assert (
            selectors.dashboard(user=world.em, root=world.Q, on=INSPECTED_DAY).inspected["count"]
            == 1
        )
        client.force_login(world.dung)
        page = body(client.get(reverse("dashboard:home") + f"?root={world.P.pk}"))
        assert 'data-testid="number-inspected">2<' in page
        share = page.split('data-testid="inspected-share">')[1].split("</div>")[0]
        assert "50" in share and "4" in share  # 50.0% (50,0% in Vietnamese) of 4 agencies
        assert f'href="{reverse("dashboard:inspected")}?' in page  # it drills down
        listed = body(client.get(reverse("dashboard:inspected") + f"?root={world.P.pk}"))
        assert 'data-testid="inspected-A"' in listed and 'data-testid="inspected-B"' in listed
        assert 'data-testid="inspected-C"' not in listed
        assert 'data-testid="inspected-count">2<' in listed
        for url in (
            reverse("dashboard:inspected") + f"?root={world.P.pk}&export=xlsx",
            reverse("dashboard:home") + f"?root={world.P.pk}&export=inspected",
        ):
            sheet = load_workbook(io.BytesIO(client.get(url).content)).active
            codes = {row[0] for row in sheet.iter_rows(values_only=True)}
            assert {"A", "B"} <= codes and "C" not in codes, url
        indicators_sheet = load_workbook(
            io.BytesIO(client.get(reverse("dashboard:home") + "?export=indicators").content)
        ).active
        rows = list(indicators_sheet.iter_rows(values_only=True))
        assert [rows[-2][1], rows[-1][1]] == [2, 50.0]  # inspected in 2026: count, share (%)


def test_the_list_of_the_inspected_is_for_the_overseers_of_the_subtree(client, world):
    inspected(world, world.A)
    with time_machine.travel(at(2026, 12, 10), tick=False):
        client.force_login(world.em)
        assert client.get(reverse("dashboard:inspected") + f"?root={world.P.pk}").status_code == 404
        mine = body(client.get(reverse("dashboard:inspected")))
        assert 'data-testid="inspected-A"' not in mine and 'inspected-count">0<' in mine
        client.force_login(world.an)
        assert client.get(reverse("dashboard:inspected")).status_code == 404


def test_the_list_of_the_inspected_costs_the_same_whatever_their_number(
    client, world, django_assert_num_queries
):
    _plan, (a, b) = inspection_plan(world, world.A, world.B)
    record(world, a)
    with time_machine.travel(at(2026, 12, 10), tick=False):
        client.force_login(world.dung)
        url = reverse("dashboard:inspected")
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert 'inspected-count">1<' in body(client.get(url))
    record(world, b)
    with (
        time_machine.travel(at(2026, 12, 10), tick=False),
        django_assert_num_queries(len(one.captured_queries)),
    ):
        assert 'inspected-count">2<' in body(client.get(url))
