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
    url = summary_url(world.P, ON.isoformat()) if endpoint == "summary" else registry_url(world.P)
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
