"""``/api/v1/oversight/summary/`` and ``/api/v1/oversight/registry/``: the overseer's reads of a
subtree named by agency code."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.api.serializers.oversight import AnnexRowSerializer
from eiso.api.tests.helpers import assert_error_shape
from eiso.core.testing import IsolationContract
from eiso.oversight import selectors
from eiso.oversight.tests.worlds import ON, announcement, generate
from eiso.qms.models import Announcement


def summary_url(root=None, date=None) -> str:
    query = []
    if root is not None:
        query.append(f"root={root.code}")
    if date:
        query.append(f"date={date}")
    return reverse("api:oversight-summary") + ("?" + "&".join(query) if query else "")


def registry_url(root=None) -> str:
    return reverse("api:oversight-registry") + (f"?root={root.code}" if root else "")


@pytest.mark.django_db
class TestOversightApiIsolation(IsolationContract):
    """``dung`` (province P) reads the summary and registry of A's subtree, not C's (Q);
    ``em`` (Q) gets 404 on P's codes."""

    api = True
    viewer = "dung"
    foreign = "C"
    outsider = "em"
    overseer = "dung"

    def make(self, world, agency):
        number = f"{uuid.uuid4().hex[:6]}/QĐ"
        Announcement.objects.bulk_create([announcement(agency, number=number, date=ON)])
        return type("Row", (), {"agency": agency, "number": number})()

    def list_url(self):
        return registry_url()

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [summary_url(obj.agency), registry_url(obj.agency)]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["an", "binh", "chi"])
def test_agency_people_get_404(api, world, persona):
    api.force_authenticate(world.persona(persona))
    for url in (summary_url(), registry_url(), summary_url(world.A), registry_url(world.A)):
        assert_error_shape(api.get(url), 404, "not_found")


@pytest.mark.django_db
def test_an_unknown_code_is_404_and_a_bad_date_is_400(api, world):
    api.force_authenticate(world.dung)
    assert_error_shape(api.get(reverse("api:oversight-summary") + "?root=NOPE"), 404)
    error = assert_error_shape(api.get(summary_url(world.P, "31/12/2025")), 400)
    assert "date" in error["fields"]


@pytest.mark.django_db
def test_the_summary_gives_rows_and_the_annex(api, world):
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    api.force_authenticate(world.dung)
    body = api.get(summary_url(world.P, ON.isoformat())).json()
    assert body["root"]["code"] == "P" and body["date"] == "2025-12-31"
    provincial, total = body["rows"]
    assert provincial["tier"] == "provincial" and total["tier"] == ""
    assert total["agencies"] == 3 and total["must_apply"] == 3 and total["announced"] == 1
    assert total["pct_announced"] == pytest.approx(33.3)
    annex = {row["code"]: row for row in body["annex"]}
    assert set(annex) == {"P", "A", "B"}
    assert annex["A"]["announcement_number"] == "25/QĐ-STP"
    assert annex["A"]["announcement_date"] == "2025-12-31"
    assert annex["B"]["announcement_number"] is None
    kinds = {row["kind"]: row for row in body["kinds"]}
    assert kinds["so_nganh"]["announced_required"] == 1 and kinds["so_nganh"]["must_apply"] == 2
    before = api.get(summary_url(world.P, "2025-01-01")).json()
    assert before["rows"][-1]["announced"] == 0


@pytest.mark.django_db
def test_the_annex_is_what_the_row_serializer_gives(api, world):
    """The annex is written from plain rows (AnnexListSerializer): field for field what
    AnnexRowSerializer gives for the annotated agencies, every kind of value included."""
    generate(world.P, 12)
    Announcement.objects.filter(agency__code="P-0003").update(received_on=ON)
    api.force_authenticate(world.dung)
    body = api.get(summary_url(world.P, ON.isoformat())).json()
    agencies = selectors.registry(user=world.dung, root=world.P, on=ON)
    expected = json.loads(json.dumps(AnnexRowSerializer(agencies, many=True).data))
    assert body["annex"] == expected
    values = {key: {row[key] for row in expected} for key in expected[0]}
    for key in ("qms_status", "standard_version", "announcement_date", "received_on"):
        assert None in values[key] and len(values[key]) > 1, key


@pytest.mark.django_db
def test_the_registry_is_paginated_and_filtered(api, world):
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    api.force_authenticate(world.dung)
    body = api.get(registry_url(world.P)).json()
    assert body["count"] == 3
    row = next(r for r in body["results"] if r["code"] == "A")
    assert row["announcement_kind"] == "first" and row["reannouncement_due"] is False
    assert row["handled"] == 0 and row["coverage"] is None
    body = api.get(reverse("api:oversight-registry") + "?announced=no").json()
    assert {r["code"] for r in body["results"]} == {"P", "B"}
    assert_error_shape(api.get(reverse("api:oversight-registry") + "?ordering=nope"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["summary", "registry"])
def test_the_query_count_does_not_grow_with_agencies(api, world, endpoint):
    api.force_authenticate(world.dung)
    # the summary computed each time (it is kept otherwise: the next test)
    url = (
        summary_url(world.P, ON.isoformat()) + "&fresh=true"
        if endpoint == "summary"
        else registry_url(world.P)
    )
    generate(world.P, 25)

    def count():
        # A fresh user object, as each request has (the scope is cached on it).
        api.force_authenticate(type(world.dung).objects.get(pk=world.dung.pk))
        with CaptureQueriesContext(connection) as context:
            assert api.get(url).status_code == 200
        return len(context)

    small = count()
    generate(world.P, 225, start=25)
    assert count() == small, small


@pytest.mark.django_db
def test_the_summary_is_kept_until_something_changes(api, world, settings):
    """Kept like the dashboard (eiso.core.kept): the same body again without computing it,
    while no audit event was written; for at most DASHBOARD_MAX_AGE seconds while other people
    change data; at once after the person's own change, or when asked with fresh=true."""
    import datetime

    import time_machine

    from eiso.core.audit import audit_record

    settings.DASHBOARD_MAX_AGE = 300
    generate(world.P, 6)
    api.force_authenticate(world.dung)
    url = summary_url(world.P, ON.isoformat())

    def announce(number):  # written without an audit event: seen only when computed again
        Announcement.objects.bulk_create([announcement(world.B, number=number, date=ON)])

    def annex_number(body):
        return next(row for row in body["annex"] if row["code"] == "B")["announcement_number"]

    from eiso.objectives.tests.conftest import at

    with time_machine.travel(at(2026, 3, 2, 9), tick=False) as clock:
        with CaptureQueriesContext(connection) as computing:
            first = api.get(url).json()
        assert first["computed_at"] == "2026-03-02T09:00:00+07:00"
        announce("1/QĐ-B")
        clock.shift(datetime.timedelta(seconds=10))
        with CaptureQueriesContext(connection) as reading:
            again = api.get(url).json()
        assert again == first and annex_number(again) is None
        assert len(reading) < len(computing) - 4  # no grouped count, no annex query
        # another person's change: still kept for DASHBOARD_MAX_AGE seconds, then computed
        audit_record(actor=world.an, action="test", agency=world.A, object_type="test")
        clock.shift(datetime.timedelta(seconds=289))  # 299 s old
        assert api.get(url).json() == first
        clock.shift(datetime.timedelta(seconds=1))  # 300 s old
        later = api.get(url).json()
        assert annex_number(later) == "1/QĐ-B"
        assert later["computed_at"] == "2026-03-02T09:05:00+07:00"
        # the person's own change shows at once
        announce("2/QĐ-B")
        clock.shift(datetime.timedelta(seconds=1))
        assert api.get(url).json() == later
        audit_record(actor=world.dung, action="test", agency=world.P, object_type="test")
        mine = api.get(url).json()
        assert mine["computed_at"] == "2026-03-02T09:05:01+07:00" and mine != later
        # asked for: computed now
        clock.shift(datetime.timedelta(seconds=1))
        fresh = api.get(url + "&fresh=true").json()
        assert fresh["computed_at"] == "2026-03-02T09:05:02+07:00"
        assert {key: value for key, value in fresh.items() if key != "computed_at"} == {
            key: value for key, value in mine.items() if key != "computed_at"
        }


@pytest.mark.django_db
def test_a_kept_summary_is_shared_only_by_the_same_reach_date_and_language(api, world):
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.core.roles import Role

    generate(world.P, 4)
    colleague = UserFactory()
    MembershipFactory(user=colleague, agency=world.P, role=Role.OVERSEER)
    api.force_authenticate(world.dung)
    mine = api.get(summary_url(world.P, ON.isoformat())).json()
    api.force_authenticate(colleague)  # the same reach: the kept numbers
    with CaptureQueriesContext(connection) as reading:
        assert api.get(summary_url(world.P, ON.isoformat())).json() == mine
    assert not any("qms_announcement" in q["sql"] for q in reading)
    # another date, another subtree, another language, another reach: computed for it
    other_date = api.get(summary_url(world.P, "2025-06-30")).json()
    assert other_date["date"] == "2025-06-30" and other_date["computed_at"]
    assert api.get(summary_url(world.A, ON.isoformat())).json()["root"]["code"] == "A"
    api.cookies["django_language"] = "en"
    english = api.get(summary_url(world.P, ON.isoformat())).json()
    vietnamese_labels = {row["label"] for row in mine["rows"]}
    assert {row["label"] for row in english["rows"]} != vietnamese_labels
    api.force_authenticate(world.em)  # Q's overseer: P's codes are not theirs
    assert api.get(summary_url(world.P, ON.isoformat())).status_code == 404


@pytest.mark.django_db
def test_a_kept_summary_is_kept_as_its_json(api, world, monkeypatch):
    """The kept value is the JSON itself (not 5,001 rows of Python objects to unpickle and
    collect on every request); the response is that JSON with computed_at put first."""
    from eiso.api.views import oversight as views

    found = []

    def spy(*args, **kwargs):
        found.append(views_kept_for(*args, **kwargs))
        return found[-1]

    views_kept_for = views.kept_for
    monkeypatch.setattr(views, "kept_for", spy)
    generate(world.P, 3)
    api.force_authenticate(world.dung)
    first = api.get(summary_url(world.P, ON.isoformat()))
    assert first["Content-Type"] == "application/json"
    assert first.content.startswith(b'{"computed_at":"')
    again = api.get(summary_url(world.P, ON.isoformat()))
    assert again.content == first.content
    kept = found[-1].value
    assert isinstance(kept, bytes) and found[0].computed_at == found[-1].computed_at
    assert json.loads(kept)["root"]["code"] == "P"
    assert json.loads(again.content) == {
        "computed_at": again.json()["computed_at"],
        **json.loads(kept),
    }
    # another province's overseer gets neither the kept JSON nor its subtree
    api.force_authenticate(world.em)
    assert api.get(summary_url(world.P, ON.isoformat())).status_code == 404
    assert len(found) == 2
