"""The annual cycle's pages: an agency's obligations (isolation, the day asked, the export), the
overseer's matrix (isolation, filters, the export, a query count that does not grow with the
agencies), the reminders sent, the inbox and the home page's card."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from eiso.core import inbox
from eiso.core.audit import audit_record
from eiso.core.testing import IsolationContract
from eiso.cycle import services
from eiso.cycle.models import ObligationSnapshot, ReminderLog
from eiso.cycle.tests.year import build_year
from eiso.organizations.tests.factories import AgencyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december")]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_secretary_sees_her_agency_s_year_with_the_evidence(client, world):
    build_year(world)
    client.force_login(world.an)
    body = page(client, reverse("cycle:agency") + "?year=2023")
    assert 'data-testid="obligation-annual_report"' in body
    assert 'data-testid="obligation-master_list-Q3" data-state="overdue"' in body
    assert 'data-testid="obligation-objectives" data-state="met_on_time"' in body
    assert "45/BC-A" in body  # the annual report that met the obligation


def test_an_earlier_day_shows_the_year_as_it_stood(client, world):
    build_year(world)
    client.force_login(world.an)
    body = page(client, reverse("cycle:agency") + "?year=2023&date=10/08/2023")
    assert 'data-testid="obligation-annual_report" data-state="not_yet_due"' in body
    assert 'data-testid="obligation-master_list-Q3" data-state="not_yet_due"' in body
    assert 'data-testid="obligation-master_list-Q2" data-state="met_on_time"' in body


def test_another_agency_s_obligations_are_a_404(client, world):
    client.force_login(world.an)
    assert client.get(reverse("cycle:agency") + f"?agency={world.B.pk}").status_code == 404
    client.force_login(world.dung)
    assert client.get(reverse("cycle:agency") + f"?agency={world.A.pk}").status_code == 200
    assert client.get(reverse("cycle:agency") + f"?agency={world.C.pk}").status_code == 404


def test_the_agency_page_exports_what_it_shows(client, world):
    build_year(world)
    client.force_login(world.an)
    response = client.get(reverse("cycle:agency") + "?year=2023&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("Báo cáo tình hình áp dụng" in str(v) for v in values)


def test_the_agency_page_keeps_its_query_count(client, world, django_assert_max_num_queries):
    client.force_login(world.an)
    url = reverse("cycle:agency") + "?year=2023"
    client.get(url)
    with django_assert_max_num_queries(40) as empty:
        client.get(url)
    build_year(world)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as full:
        client.get(url)
    assert len(full.captured_queries) == len(empty.captured_queries)


# --- the matrix ------------------------------------------------------------------------------


def test_the_overseer_sees_the_subtree_as_a_matrix(client, world):
    build_year(world)
    client.force_login(world.dung)
    body = page(client, reverse("cycle:matrix") + "?year=2023")
    assert 'data-testid="row-A"' in body and 'data-testid="row-B"' in body
    assert 'data-testid="row-C"' not in body
    assert 'data-testid="cell-A-master_list" data-state="overdue"' in body
    assert 'data-testid="cell-A-annual_report" data-state="met_on_time"' in body
    assert 'data-testid="cell-B-annual_report" data-state="overdue"' in body


def test_the_matrix_filters_by_the_state_of_an_obligation(client, world):
    build_year(world)
    client.force_login(world.dung)
    body = page(client, reverse("cycle:matrix") + "?year=2023&rule=annual_report&state=overdue")
    assert 'data-testid="row-B"' in body
    assert 'data-testid="row-A"' not in body


def test_the_matrix_is_for_overseers_of_that_subtree_only(client, world):
    client.force_login(world.an)
    assert client.get(reverse("cycle:matrix")).status_code == 404
    client.force_login(world.em)
    assert client.get(reverse("cycle:matrix") + f"?root={world.P.pk}").status_code == 404


def test_the_matrix_exports_one_row_per_agency(client, world):
    build_year(world)
    client.force_login(world.dung)
    response = client.get(reverse("cycle:matrix") + "?year=2023&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] in ("A", "B")]
    assert len(rows) == 2
    row_a = next(r for r in rows if r[0] == "A")
    assert any(str(v).startswith("Met on time") or "đúng hạn" in str(v) for v in row_a if v)


def test_the_matrix_costs_the_same_whatever_the_number_of_agencies(
    client, world, django_assert_num_queries
):
    build_year(world)
    client.force_login(world.dung)
    url = reverse("cycle:matrix") + "?year=2023"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(12):
        AgencyFactory(code=f"X{n}", parent=world.P)
    build_year(world, agency=AgencyFactory(code="Y", parent=world.P, name="Sở Y"))
    with django_assert_num_queries(len(few.captured_queries)):
        body = page(client, url)
    assert 'data-testid="row-X11"' in body


# --- reminders, inbox, home, command -------------------------------------------------------------


class TestReminderIsolation(IsolationContract):
    def make(self, world, agency):
        from eiso.accounts.tests.factories import MembershipFactory, UserFactory
        from eiso.core.roles import Role

        if agency.code != "A":
            MembershipFactory(
                user=UserFactory(username=f"head{agency.code.lower()}"),
                agency=agency,
                role=Role.HEAD,
            )
        services.reminders_send(on=datetime.date(2023, 12, 20))
        return ReminderLog.objects.filter(agency=agency).first()

    def list_url(self):
        return reverse("cycle:reminders")

    def marker(self, obj):
        return f"agency={obj.agency_id}&amp;year={obj.year}"

    def read_urls(self, obj):
        return [reverse("cycle:agency") + f"?agency={obj.agency_id}&year={obj.year}"]


def test_the_reminder_list_keeps_its_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    services.reminders_send(on=datetime.date(2023, 3, 1))
    client.get(reverse("cycle:reminders"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("cycle:reminders"))
    services.reminders_send(on=datetime.date(2023, 12, 20))
    assert ReminderLog.objects.count() > 5
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("cycle:reminders"))


def test_the_inbox_lists_the_overdue_obligations_then_forgets_those_met(client, world):
    client.force_login(world.an)
    items = inbox.inbox_for(world.an, today=datetime.date(2023, 12, 20))
    overdue = [i for i in items if i.kind == "cycle.obligations"]
    assert any("Báo cáo tình hình" in i.title for i in overdue)
    build_year(world)
    # The records were written straight into the tables; a service writes its audit event,
    # which is what tells the snapshot the agency's data changed.
    audit_record(actor=world.an, action="annual_report.submit", agency=world.A)
    items = inbox.inbox_for(world.an, today=datetime.date(2023, 12, 20))
    titles = [i.title for i in items if i.kind == "cycle.obligations"]
    assert not any("Báo cáo tình hình" in t for t in titles)
    assert any("Q3/2023" in t for t in titles)


def test_the_inbox_reads_the_snapshot_in_two_queries_when_nothing_changed(
    world, django_assert_num_queries
):
    from eiso.cycle.inbox import obligations_due

    ctx = inbox.InboxContext(user=world.an, today=datetime.date(2023, 12, 20))
    obligations_due(ctx)
    assert ObligationSnapshot.objects.filter(agency=world.A).exists()
    ctx = inbox.InboxContext(user=world.an, today=datetime.date(2023, 12, 20))
    with django_assert_num_queries(2):
        obligations_due(ctx)


def test_the_inbox_computes_the_obligations_again_at_the_same_cost_whatever_changed(
    client, world, django_assert_num_queries
):
    """New evidence makes the next read compute the agency's obligations again, once, in a
    number of queries that does not depend on how much changed (one query per kind of
    evidence, set-based); the read after it is back to the snapshot."""
    from eiso.documents.tests.factories import make_draft

    client.force_login(world.hai)
    url = reverse("inbox:list") + "?fresh=1"  # computed, not kept (eiso.core.kept)
    client.get(url)
    made = iter(range(1, 100))

    def stale_read_cost(new_documents: int) -> int:
        for _ in range(new_documents):
            make_draft(world, world.A, code=f"QT-{next(made):02d}")  # its service's audit event
        with CaptureQueriesContext(connection) as stale:
            client.get(url)
        return len(stale.captured_queries)

    one, six = stale_read_cost(1), stale_read_cost(6)
    assert one == six
    with CaptureQueriesContext(connection) as fresh:
        client.get(url)
    assert len(fresh.captured_queries) < one


def test_overseers_see_escalations_in_their_inbox(world):
    services.reminders_send(on=datetime.date(2023, 12, 20))
    items = [
        i
        for i in inbox.inbox_for(world.dung, today=datetime.date(2023, 12, 20))
        if i.kind == "cycle.escalations"
    ]
    assert {i.agency_name for i in items} >= {str(world.A)}
    assert not [
        i
        for i in inbox.inbox_for(world.em, today=datetime.date(2023, 12, 20))
        if i.kind == "cycle.escalations" and i.agency_name == str(world.A)
    ]


def test_the_home_page_shows_the_year_s_obligations(client, world):
    build_year(world)
    client.force_login(world.an)
    body = page(client, reverse("dashboard:home"))
    card = body[body.index('data-testid="home-obligations"') :][:6000]
    assert "Quý 3/2023" in card and 'data-state="overdue"' in card  # the page is in Vietnamese


def test_the_command_sends_the_day_s_reminders(world):
    out = io.StringIO()
    call_command("send_reminders", "--date", "20/12/2023", stdout=out)
    assert "20/12/2023" in out.getvalue() and "sent" in out.getvalue()
    again = io.StringIO()
    call_command("send_reminders", "--date", "2023-12-20", stdout=again)
    assert "sent 0" in again.getvalue()


def test_the_quarters_are_named_in_the_language_of_the_page(world):
    """The quarter's label is translated once per language (a country has thousands of
    agencies with four quarters each), never once for all."""
    from django.utils import translation

    from eiso.cycle import selectors

    labels = {}
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            found = selectors.agency_obligations(
                agency=world.A, year=2023, on=datetime.date(2023, 5, 1)
            )
        labels.setdefault(language, set()).update(
            o.label for o in found.obligations if o.instance == "Q1"
        )
    assert labels == {"vi": {"Quý 1/2023"}, "en": {"Q1/2023"}}
