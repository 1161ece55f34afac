"""The overseer's pages: registry, summary (page, XLSX, DOCX), reminders — isolation, query
counts, filters, an invalid date refused, phone-ready tables."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.core.testing import IsolationContract
from eiso.organizations.tests.factories import AgencyFactory, kind
from eiso.oversight import services
from eiso.oversight.tests.worlds import announcement, generate
from eiso.qms.choices import QmsStatus, ReminderKind
from eiso.qms.models import Announcement, QualitySystem, Reminder


@pytest.fixture
def province(db):
    return AgencyFactory(code="GEN", name="Ủy ban nhân dân tỉnh Sinh Thử", kind=kind("ubnd_tinh"))


@pytest.fixture
def overseer(province):
    user = UserFactory(username="giamsat-gen", full_name="Giám Sát")
    MembershipFactory(user=user, agency=province, role=Role.OVERSEER)
    return user


def table(response, testid="registry-table") -> str:
    body = response.content.decode()
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</table>", start)]


def opening_tag(response, testid) -> str:
    """The ``<table …>`` tag carrying ``data-testid``."""
    body = response.content.decode()
    at = body.index(f'data-testid="{testid}"')
    return body[body.rindex("<table", 0, at) : body.index(">", at)]


def oversight_urls(agency) -> list[str]:
    root = f"?root={agency.pk}"
    return [
        reverse("oversight:registry") + root,
        reverse("oversight:registry") + root + "&export=xlsx",
        reverse("oversight:summary") + root,
        reverse("oversight:summary") + root + "&export=xlsx",
        reverse("oversight:summary_docx") + root,
        reverse("oversight:reminders") + root,
    ]


# --- isolation ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRegistryIsolation(IsolationContract):
    """``dung`` (province P) sees A's row in the registry, not C's (province Q); an agency's
    people get 404 on every page of A's subtree; nobody changes anything here."""

    viewer = "dung"
    foreign = "C"
    outsider = "chi"
    overseer_may_change = True  # sending reminders to the subtree is what the overseer does

    def make(self, world, agency):
        number = f"{agency.code}-77/QĐ"
        Announcement.objects.bulk_create([announcement(agency, number=number)])
        return type("Row", (), {"agency": agency, "number": number})()

    def list_url(self):
        return reverse("oversight:registry")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return oversight_urls(obj.agency)

    def change_requests(self, obj):
        return [("post", reverse("oversight:reminders"), {"root": obj.agency.pk, "kind": "x"})]


@pytest.mark.django_db
def test_another_provinces_overseer_gets_404_on_this_province(client, world):
    client.force_login(world.em)
    for url in oversight_urls(world.P) + oversight_urls(world.A):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("oversight:reminders"), {"root": world.P.pk, "kind": "not_announced"}
    )
    assert response.status_code == 404
    assert not Reminder.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["an", "binh", "chi", "hai"])
def test_agency_people_get_404_on_the_oversight_pages(client, world, persona):
    client.force_login(world.persona(persona))
    for url in oversight_urls(world.A) + [
        reverse("oversight:registry"),
        reverse("oversight:summary"),
        reverse("oversight:summary_docx"),
        reverse("oversight:reminders"),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("oversight:reminders"), {"root": world.A.pk, "kind": "not_announced"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_the_login_page(client, world):
    for url in oversight_urls(world.P):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


# --- query counts ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["oversight:registry", "oversight:summary", "oversight:reminders"])
def test_the_query_count_does_not_grow_with_agencies(
    client, province, overseer, name, django_assert_num_queries
):
    generate(province, 25)
    secretary = UserFactory(username="thuky-gen")
    for agency in province.children.all()[:5]:
        MembershipFactory(user=secretary, agency=agency, role=Role.ISO_SECRETARY)
    client.force_login(overseer)
    url = reverse(name) + f"?root={province.pk}"
    send = {"actor": overseer, "root": province, "kind": ReminderKind.NOT_ANNOUNCED}
    if name == "oversight:reminders":
        services.reminders_send(**send)
    small = _queries(client, url)
    generate(province, 225, start=25)
    for agency in province.children.all()[25:60]:
        MembershipFactory(user=secretary, agency=agency, role=Role.ISO_SECRETARY)
    if name == "oversight:reminders":
        services.reminders_send(**send)
    cache.clear()  # the registry's reminder counts computed again, not kept (eiso.core.kept)
    with django_assert_num_queries(small):
        client.get(url)


@pytest.mark.django_db
def test_the_registry_keeps_its_reminder_counts_until_something_changes(client, province, overseer):
    generate(province, 25)
    client.force_login(overseer)
    url = reverse("oversight:registry") + f"?root={province.pk}"
    computed = _queries(client, url)
    assert _queries(client, url) < computed  # kept
    before = {r["kind"]: r["reachable"] for r in client.get(url).context["reminders"]}
    secretary = UserFactory(username="thuky-gen")
    for agency in province.children.all()[:5]:  # no service: nothing says the data changed
        MembershipFactory(user=secretary, agency=agency, role=Role.ISO_SECRETARY)
    still = {r["kind"]: r["reachable"] for r in client.get(url).context["reminders"]}
    assert still == before
    send = {"actor": overseer, "root": province, "kind": ReminderKind.NOT_ANNOUNCED}
    assert services.reminders_send(**send).reminded  # the overseer's own change
    assert _queries(client, url) == computed  # computed again at once
    after = {r["kind"]: r["reachable"] for r in client.get(url).context["reminders"]}
    assert after[ReminderKind.NOT_ANNOUNCED] > before[ReminderKind.NOT_ANNOUNCED]
    cache.clear()
    assert after == {r["kind"]: r["reachable"] for r in client.get(url).context["reminders"]}


# --- the registry ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_registry_shows_the_subtree_only(client, world):
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    client.force_login(world.dung)
    body = client.get(reverse("oversight:registry")).content.decode()
    assert "25/QĐ-STP" in body and "Sở Y tế" in body
    assert "Sở Nội vụ" not in body  # agency C, province Q
    client.force_login(world.em)
    body = client.get(reverse("oversight:registry")).content.decode()
    assert "Sở Nội vụ" in body and "Sở Y tế" not in body


@pytest.mark.django_db
def test_the_registry_filters_searches_and_sorts(client, world):
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    QualitySystem.objects.create(
        agency=world.A, status=QmsStatus.ANNOUNCED, reannouncement_reason="Sáp nhập"
    )
    client.force_login(world.dung)
    url = reverse("oversight:registry")
    body = table(client.get(url + "?announced=no"))
    assert "Sở Y tế" in body and "25/QĐ-STP" not in body
    body = table(client.get(url + "?due=yes"))
    assert "25/QĐ-STP" in body and "Sở Y tế" not in body
    body = table(client.get(url + "?q=so y te"))  # without diacritics
    assert "Sở Y tế" in body and "Sở Tư pháp" not in body
    for ordering in ("-code", "name", "kind", "tier", "coverage", "-date", "status", "reminded"):
        assert client.get(url + f"?ordering={ordering}").status_code == 200, ordering
    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


@pytest.mark.django_db
def test_the_registry_works_out_coverage_and_due_as_its_sql_sorts_and_filters_by_them(world):
    """A row's coverage and "re-announcement due" are worked out from its columns
    (``_RegistryRows``); sorting and filtering by them use the same rules in SQL."""
    from eiso.oversight import selectors
    from eiso.procedures.tests.factories import handled, iso_procedure, procedure

    changed = AgencyFactory(code="D", name="Sở Xây dựng", kind=kind("so_nganh"), parent=world.P)
    first, second, third = procedure(world), procedure(world), procedure(world)
    handled(world, world.A, first, second)
    handled(world, world.B, third)
    handled(world, changed, first)
    iso_procedure(world, world.A, first, issued=True)  # A: 1 of 2 covered
    iso_procedure(world, world.B, third, issued=True)  # B: 1 of 1
    later = timezone.localdate() + datetime.timedelta(days=30)
    Announcement.objects.bulk_create(
        [
            announcement(world.A),  # flagged below: due
            announcement(world.B, date=later),  # nothing since, no flag: not due
            announcement(changed),  # procedures assigned since: due
        ]
    )
    QualitySystem.objects.create(
        agency=world.A, status=QmsStatus.ANNOUNCED, reannouncement_reason="Sáp nhập"
    )
    QualitySystem.objects.create(  # flagged, never announced: not due
        agency=world.P, status=QmsStatus.BUILDING, reannouncement_reason="Chưa công bố"
    )
    table = selectors.registry_table(user=world.dung, root=world.P)
    rows = {a.code: a for a in table}
    assert {code: (a.coverage, a.due) for code, a in rows.items()} == {
        "P": (None, False),
        "A": (50.0, True),
        "B": (100.0, False),
        "D": (0.0, True),
    }
    in_sql = table.annotate(
        sql_coverage=selectors._derived("coverage"), sql_due=selectors._derived("due")
    )
    for agency in in_sql:
        assert (agency.sql_coverage, agency.sql_due) == (agency.coverage, agency.due), agency.code
    due = selectors.registry_table(user=world.dung, root=world.P, due="yes")
    assert {a.code for a in due} == {"A", "D"}
    assert {a.code for a in selectors.registry_table(user=world.dung, root=world.P, due="no")} == {
        "P",
        "B",
    }
    by_coverage = selectors.registry_table(user=world.dung, root=world.P, ordering="-coverage")
    assert [a.code for a in by_coverage] == ["B", "A", "D", "P"]  # none last


@pytest.mark.django_db
def test_the_registry_shows_the_resolved_subtree_in_its_filter(client, world):
    """Without ``?root=`` the overseer of one province sees it, and the filter says so."""
    client.force_login(world.dung)
    response = client.get(reverse("oversight:registry"))
    assert response.context["root"] == world.P
    assert response.context["filter_form"]["root"].value() == str(world.P.pk)


@pytest.mark.django_db
def test_the_registry_is_a_list_page_that_fits_a_laptop_and_a_phone(client, world):
    """On the shared list frame (filters folded on a phone), six columns with the secondary
    facts (code, kind, tier, must apply) on a detail line, every cell labelled for the phone's
    cards, long headers shortened with their full wording in a title."""
    client.force_login(world.dung)
    response = client.get(reverse("oversight:registry"))
    templates = {t.name for t in response.templates}
    assert {"core/list_base.html", "core/includes/filter_row.html"} <= templates
    html = table(response)
    assert "table-cards" in opening_tag(response, "registry-table")
    assert len(re.findall(r"<th[ >]", html)) == 6
    row = html[html.index('data-testid="registry-A"') :]
    row = row[: row.index("</tr>")]
    assert row.count("<td") == 6 and row.count("data-label=") == 5  # the name is the title
    detail = row[row.index('<div class="small text-muted">') :]
    assert "<code>A</code>" in detail and "Sở, ban, ngành" in detail  # code · kind · tier
    assert 'title="' in html[: html.index("<tbody>")]


# --- the summary -------------------------------------------------------------------------------


@pytest.fixture
def announced_a(world):
    """A announced and flagged for re-announcement; B and P (must apply) have not announced."""
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    QualitySystem.objects.create(
        agency=world.A, status=QmsStatus.ANNOUNCED, reannouncement_reason="Sáp nhập xã"
    )
    return world


@pytest.mark.django_db
def test_the_summary_page_shows_the_table_sentences_chart_and_annex(client, announced_a):
    world = announced_a
    client.force_login(world.dung)
    response = client.get(reverse("oversight:summary") + f"?root={world.P.pk}&date=31/12/2025")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="summary-chart"' in body and "chart.umd.min.js" in body
    assert "25/QĐ-STP" in body and "31/12/2025" in body
    assert "1/3" in body  # 1 of the 3 provincial agencies that must apply announced
    assert response.context["rows"][-1]["announced"] == 1
    assert "table-cards" in opening_tag(response, "summary-table")
    assert "table-cards" in opening_tag(response, "summary-annex")


@pytest.mark.django_db
def test_the_summary_box_does_not_tick_an_incomplete_ratio(client, announced_a):
    world = announced_a
    client.force_login(world.dung)
    url = reverse("oversight:summary") + f"?root={world.P.pk}&date=31/12/2025"
    box = table_like(client.get(url), "summary-sentences")
    assert "bi-check2-circle" not in box  # 1/3: nothing complete yet
    assert 'data-complete="no"' in box
    # Written outside the services (no audit event): the counts kept by the page are shown
    # until computed again.
    Announcement.objects.bulk_create([announcement(world.B), announcement(world.P)])
    box = table_like(client.get(url + "&fresh=1", follow=True), "summary-sentences")
    assert 'data-complete="no"' not in box and "bi-check2-circle" in box


def table_like(response, testid) -> str:
    body = response.content.decode()
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</ul>", start)]


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["31/02/2025", "hôm qua", "2025-13-01", "32/12/2025"])
@pytest.mark.parametrize("name", ["oversight:summary", "oversight:summary_docx"])
def test_an_invalid_date_is_refused_with_a_message_not_replaced_by_today(
    client, announced_a, date, name
):
    world = announced_a
    client.force_login(world.dung)
    for extra in ("", "&export=xlsx"):
        response = client.get(reverse(name) + f"?root={world.P.pk}&date={date}{extra}")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert 'data-testid="summary-table"' not in body  # no numbers for another day
        assert response.context["filter_form"].errors["date"]
        messages = [str(m) for m in response.context["messages"]]
        assert messages, "the refusal is said"


@pytest.mark.django_db
def test_no_date_means_today_and_says_so(client, announced_a):
    import time_machine

    world = announced_a
    client.force_login(world.dung)
    with time_machine.travel("2026-03-15 10:00 +0700", tick=False):
        response = client.get(reverse("oversight:summary") + f"?root={world.P.pk}")
    assert response.status_code == 200
    assert response.context["report"].on.isoformat() == "2026-03-15"
    assert "15/03/2026" in response.content.decode()


@pytest.mark.django_db
def test_the_summary_exports_a_workbook_with_the_summary_and_the_annex(client, announced_a):
    from openpyxl import load_workbook

    world = announced_a
    client.force_login(world.dung)
    response = client.get(reverse("oversight:summary") + f"?root={world.P.pk}&export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tong hop", "Phu luc"]
    summary_rows = list(workbook["Tong hop"].iter_rows(values_only=True))
    assert summary_rows[-1][0] == "Tổng cộng" and summary_rows[-1][1] == 3
    annex = list(workbook["Phu luc"].iter_rows(values_only=True))
    assert any("25/QĐ-STP" in row for row in annex)
    assert len(annex) == 1 + 3  # header + P, A, B
    # the layout: a bold title, bold wrapped headers, the annex's wide columns
    summary, annex_sheet = workbook["Tong hop"], workbook["Phu luc"]
    assert summary["A1"].font.b and summary["A1"].value.startswith("Tổng hợp tình hình")
    assert all(c.font.b and c.alignment.wrap_text for c in summary[2])
    assert not summary["A3"].font.b
    assert all(c.font.b for c in annex_sheet[1]) and not annex_sheet["C2"].font.b
    assert summary.column_dimensions["A"].width == 16
    assert [annex_sheet.column_dimensions[c].width for c in "BCH"] == [14, 50, 18]


@pytest.mark.django_db
def test_the_summary_report_is_a_docx_with_the_table_and_the_annex(client, announced_a):
    from docx import Document

    world = announced_a
    client.force_login(world.dung)
    response = client.get(reverse("oversight:summary_docx") + f"?root={world.P.pk}&date=31/12/2025")
    assert response.status_code == 200
    assert "31-12-2025.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "Tổng hợp tình hình áp dụng, công bố" in text
    # 3 agencies, all must apply, 1 announced: 2 that must apply have not.
    assert "2 cơ quan, đơn vị phải áp dụng chưa công bố" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Đã công bố" in cells and "Tổng cộng" in cells
    assert "25/QĐ-STP" in cells and "Sở Y tế tỉnh Phú An" in cells
    assert "Lần đầu" in cells and "Cấp tỉnh" in cells  # Vietnamese whatever the UI language


# --- reminders (pages) ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reminder_buttons_send_and_the_page_lists_who_was_reminded(client, announced_a):
    world = announced_a
    client.force_login(world.dung)
    registry = client.get(reverse("oversight:registry") + f"?root={world.P.pk}")
    assert "reannouncement_due" in registry.content.decode()
    response = client.post(
        reverse("oversight:reminders"), {"root": world.P.pk, "kind": "not_announced"}, follow=True
    )
    assert response.status_code == 200
    # B has its secretary (chi); P has nobody to receive it: not reminded, and said so.
    assert list(Reminder.objects.values_list("agency__code", flat=True)) == ["B"]
    said = " ".join(str(m) for m in response.context["messages"])
    assert "1" in said and world.P.name in said
    listing = table(client.get(reverse("oversight:reminders")), "reminder-table")
    assert "Sở Y tế" in listing and "Hoàng Văn Dũng" in listing
    filtered = client.get(reverse("oversight:reminders") + "?kind=reannouncement_due")
    assert "Sở Y tế" not in table(filtered, "reminder-table")
    export = client.get(reverse("oversight:reminders") + "?export=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    registry = client.get(reverse("oversight:registry") + f"?root={world.P.pk}").content.decode()
    assert "Hoàng Văn Dũng" in registry  # the last reminder, in the registry
    client.force_login(world.em)
    assert "Sở Y tế" not in table(client.get(reverse("oversight:reminders")), "reminder-table")


@pytest.mark.django_db
def test_the_registry_names_the_agencies_a_reminder_cannot_reach_and_how_to_fix_it(
    client, announced_a
):
    """P must apply, has not announced and has no ISO secretary or head: the button counts
    only B; P is named with a link to where someone is given the role — the users page of P
    for an administrator, P's page (who works there) for the overseer."""
    world = announced_a
    client.force_login(world.dung)
    response = client.get(reverse("oversight:registry") + f"?root={world.P.pk}")
    body = response.content.decode()
    assert 'data-testid="unreachable-not_announced"' in body
    box = body[body.index('data-testid="unreachable-not_announced"') :]
    box = box[: box.index("</ul>")]
    assert world.P.name in box
    assert f'href="{reverse("organizations:detail", args=[world.P.pk])}"' in box
    assert 'data-testid="unreachable-reannouncement_due"' not in body  # A has an, hai
    button = body[body.index('data-testid="remind-not_announced"') :][:200]
    assert "disabled" not in button
    client.force_login(world.quan)
    body = client.get(reverse("oversight:registry") + f"?root={world.P.pk}").content.decode()
    assert f"{reverse('accounts:user_list')}?agency={world.P.pk}" in body


# --- the summary page keeps its counts (eiso.core.kept) --------------------------------------------


def _sentences(response) -> str:
    return table_like(response, "summary-sentences")


@pytest.mark.django_db
def test_the_summary_page_keeps_its_counts_until_something_changes(client, announced_a, settings):
    """Like the dashboard and the summary API: the counts again without the grouped queries
    while no audit event was written; for at most DASHBOARD_MAX_AGE seconds while other people
    change data; at once after the person's own change, or when computed again (which leads
    back to the page without ``fresh``). When they were computed is said on the page."""

    import time_machine

    from eiso.core.audit import audit_record
    from eiso.objectives.tests.conftest import at

    settings.DASHBOARD_MAX_AGE = 300
    world = announced_a
    client.force_login(world.dung)
    url = reverse("oversight:summary") + f"?root={world.P.pk}&date=31/12/2025"

    def announce(agency):  # written without an audit event: counted only when computed again
        Announcement.objects.bulk_create([announcement(agency, number=f"9/QĐ-{agency.code}")])

    def total(response):
        return response.context["rows"][-1]["announced"]

    with time_machine.travel(at(2026, 3, 2, 9), tick=False) as clock:
        with CaptureQueriesContext(connection) as computing:
            first = client.get(url)
        assert total(first) == 1 and "1/3" in _sentences(first)
        assert 'data-testid="computed-at">tính lúc 09:00:00<' in first.content.decode()
        announce(world.B)
        clock.shift(datetime.timedelta(seconds=10))
        with CaptureQueriesContext(connection) as reading:
            again = client.get(url)
        assert total(again) == 1 and _sentences(again) == _sentences(first)
        assert len(reading) <= len(computing) - 2  # neither grouped count
        assert not any("GROUP BY" in q["sql"] for q in reading)
        # the annex is read now, a page at a time: B's announcement is listed already
        assert "9/QĐ-B" in table(again, "summary-annex")
        # another person's change: kept for DASHBOARD_MAX_AGE seconds, then computed again
        audit_record(actor=world.an, action="test", agency=world.A, object_type="test")
        clock.shift(datetime.timedelta(seconds=289))  # 299 s old
        assert total(client.get(url)) == 1
        clock.shift(datetime.timedelta(seconds=1))  # 300 s old
        later = client.get(url)
        assert total(later) == 2 and "tính lúc 09:05:00" in later.content.decode()
        # the person's own change shows at once
        announce(world.P)
        clock.shift(datetime.timedelta(seconds=1))
        assert total(client.get(url)) == 2
        audit_record(actor=world.dung, action="test", agency=world.P, object_type="test")
        assert total(client.get(url)) == 3
        # computed again when asked: back to the same page without "fresh"
        Announcement.objects.filter(number="9/QĐ-P").delete()
        clock.shift(datetime.timedelta(seconds=1))
        response = client.get(url + "&page=1&fresh=1")
        assert response.status_code == 302
        assert response["Location"] == (
            reverse("oversight:summary") + f"?root={world.P.pk}&date=31%2F12%2F2025&page=1"
        )
        landed = client.get(response["Location"])
        assert total(landed) == 2 and "tính lúc 09:05:02" in landed.content.decode()
        assert 'data-testid="compute-again"' in landed.content.decode()


@pytest.mark.django_db
def test_counts_kept_across_midnight_say_on_which_day(client, announced_a, settings):
    """A result kept past midnight (nothing changed) gives the date it was computed with its
    time; one computed today, the time only."""
    import datetime

    import time_machine

    from eiso.objectives.tests.conftest import VN

    settings.DASHBOARD_MAX_AGE = 300
    client.force_login(announced_a.dung)
    url = reverse("oversight:summary") + f"?root={announced_a.P.pk}&date=31/12/2025"
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 23, 59, 58, tzinfo=VN), tick=False
    ) as clock:
        first = client.get(url).content.decode()
        assert 'data-testid="computed-at">tính lúc 23:59:58<' in first
        clock.shift(datetime.timedelta(seconds=1))  # 23:59:59, the same day
        assert "tính lúc 23:59:58<" in client.get(url).content.decode()
        clock.shift(datetime.timedelta(seconds=1))  # 00:00:00 the next day: the same result
        kept = client.get(url).content.decode()
        assert 'data-testid="computed-at">tính lúc 23:59:58 02/03/2026<' in kept


@pytest.mark.django_db
def test_the_summary_files_count_now_while_the_page_keeps_its_counts(client, announced_a):
    """The XLSX and the DOCX are official copies: computed when asked, never kept."""
    from docx import Document
    from openpyxl import load_workbook

    from eiso.oversight.outputs import SUMMARY_HEADERS_VI

    world = announced_a
    client.force_login(world.dung)
    query = f"?root={world.P.pk}&date=31/12/2025"
    page = reverse("oversight:summary") + query
    assert client.get(page).context["rows"][-1]["announced"] == 1
    Announcement.objects.bulk_create([announcement(world.B, number="9/QĐ-B")])  # no audit event
    assert client.get(page).context["rows"][-1]["announced"] == 1  # kept
    workbook = load_workbook(io.BytesIO(client.get(page + "&export=xlsx").content))
    _title, header, *rows = list(workbook["Tong hop"].iter_rows(values_only=True))
    announced = header.index(SUMMARY_HEADERS_VI["announced"])
    assert rows[-1][0] == "Tổng cộng" and rows[-1][announced] == 2
    docx = Document(io.BytesIO(client.get(reverse("oversight:summary_docx") + query).content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "1 cơ quan, đơn vị phải áp dụng chưa công bố" in text  # 2 of the 3 announced


@pytest.mark.django_db
def test_kept_summary_counts_are_shared_only_by_the_same_reach_subtree_date_and_language(
    client, announced_a
):
    world = announced_a
    colleague = UserFactory()
    MembershipFactory(user=colleague, agency=world.P, role=Role.OVERSEER)
    url = reverse("oversight:summary") + f"?root={world.P.pk}&date=31/12/2025"
    client.force_login(world.dung)
    mine = client.get(url)
    Announcement.objects.bulk_create([announcement(world.B, number="9/QĐ-B")])  # no audit event
    client.force_login(colleague)  # the same reach: the kept counts
    with CaptureQueriesContext(connection) as reading:
        assert client.get(url).context["rows"] == mine.context["rows"]
    assert not any("GROUP BY" in q["sql"] for q in reading)
    # another date, another subtree, another language: computed for it (B counted)
    other_date = reverse("oversight:summary") + f"?root={world.P.pk}&date=01/01/2026"
    assert client.get(other_date).context["rows"][-1]["announced"] == 2
    subtree = reverse("oversight:summary") + f"?root={world.A.pk}&date=31/12/2025"
    assert [r["agencies"] for r in client.get(subtree).context["rows"]][-1] == 1
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert english.context["rows"][-1]["announced"] == 2
    assert str(english.context["rows"][-1]["label"]) == "Total"
    # Q's overseer: P is not theirs (404), and their own summary is their own
    client.force_login(world.em)
    assert client.get(url).status_code == 404
    theirs = client.get(reverse("oversight:summary") + "?date=31/12/2025")
    assert theirs.status_code == 200
    assert theirs.context["rows"][-1]["agencies"] != mine.context["rows"][-1]["agencies"]


@pytest.mark.django_db
def test_compute_again_never_replaces_a_refused_date_nor_the_workbook(client, announced_a):
    """``fresh=1`` with a date that cannot be read is refused like any other request (400, no
    redirect, nothing kept); with ``export=xlsx`` the workbook is given, counted now."""
    world = announced_a
    client.force_login(world.dung)
    base = reverse("oversight:summary") + f"?root={world.P.pk}"
    refused = client.get(base + "&date=31/02/2025&fresh=1")
    assert refused.status_code == 400 and refused.context["report"] is None
    assert "computed-at" not in refused.content.decode()
    workbook = client.get(base + "&date=31/12/2025&export=xlsx&fresh=1")
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
