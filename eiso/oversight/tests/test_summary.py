"""The summary by tier: its numbers (pinned on a representative province, and checked against
an independent count at 250 agencies), the percentages, the box of sentences."""

from __future__ import annotations

import datetime

import pytest

from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory, kind
from eiso.oversight import selectors
from eiso.oversight.selectors import REQUIRED_COLUMNS, SUMMARY_COLUMNS
from eiso.oversight.summary import PERCENT_COLUMNS, Sentence, summary_report, with_percentages
from eiso.oversight.tests.worlds import (
    ON,
    announcement,
    expected,
    generate,
    representative_province,
    root_spec,
)
from eiso.qms.models import Announcement

JUNE = datetime.date(2025, 6, 1)


def overseer_of(agency):
    user = UserFactory(username=f"giamsat-{agency.code.lower()}", full_name="Giám Sát")
    MembershipFactory(user=user, agency=agency, role=Role.OVERSEER)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def province(db):
    return AgencyFactory(code="GEN", name="Ủy ban nhân dân tỉnh Sinh Thử", kind=kind("ubnd_tinh"))


@pytest.fixture
def overseer(province):
    return overseer_of(province)


# --- pinned numbers ----------------------------------------------------------------------------
# What the summary says of the representative province (eiso/oversight/tests/worlds.py). These
# are literal: any change to what the summary counts — a refactoring, an optimisation for the
# national size (issue 15), a new query — must leave them as they are. Columns in the order of
# SUMMARY_COLUMNS: agencies, must apply, built, applied, announced, re-announced, announced in
# the year, not yet announced.

PINNED = {
    ON: {
        "rows": {
            "provincial": (36, 25, 29, 23, 12, 6, 6, 24),
            "district": (12, 12, 10, 8, 4, 2, 2, 8),
            "commune": (12, 6, 10, 8, 4, 2, 2, 8),
            "": (60, 43, 49, 39, 20, 10, 10, 40),
        },
        # among those that must apply: must apply, built … not yet announced
        "required": {
            "provincial": (25, 20, 16, 8, 4, 4, 17),
            "district": (12, 10, 8, 4, 2, 2, 8),
            "commune": (6, 4, 4, 2, 2, 2, 4),
            "": (43, 34, 28, 14, 8, 8, 29),
        },
        # built, applied, announced, re-announced, in the year, not yet announced (% of must)
        "percent": {
            "provincial": (80.0, 64.0, 32.0, 16.0, 16.0, 68.0),
            "district": (83.3, 66.7, 33.3, 16.7, 16.7, 66.7),
            "commune": (66.7, 66.7, 33.3, 33.3, 33.3, 66.7),
            "": (79.1, 65.1, 32.6, 18.6, 18.6, 67.4),
        },
        # agencies, must apply, announced, announced among those that must
        "kinds": {
            "ubnd_tinh": (1, 1, 0, 0),
            "so_nganh": (12, 12, 4, 4),
            "chi_cuc": (12, 12, 4, 4),
            "ubnd_huyen": (12, 12, 4, 4),
            "ubnd_xa": (12, 6, 4, 2),
            "don_vi_su_nghiep": (11, 0, 4, 0),
        },
    },
    # Before the merged commune's last day: it counts (and its 2024 announcement with it).
    JUNE: {
        "rows": {
            "provincial": (36, 25, 29, 23, 12, 6, 6, 24),
            "district": (12, 12, 10, 8, 4, 2, 2, 8),
            "commune": (13, 7, 11, 9, 5, 2, 2, 8),
            "": (61, 44, 50, 40, 21, 10, 10, 40),
        },
        "required": {
            "provincial": (25, 20, 16, 8, 4, 4, 17),
            "district": (12, 10, 8, 4, 2, 2, 8),
            "commune": (7, 5, 5, 3, 2, 2, 4),
            "": (44, 35, 29, 15, 8, 8, 29),
        },
        "percent": {
            "provincial": (80.0, 64.0, 32.0, 16.0, 16.0, 68.0),
            "district": (83.3, 66.7, 33.3, 16.7, 16.7, 66.7),
            "commune": (71.4, 71.4, 42.9, 28.6, 28.6, 57.1),
            "": (79.5, 65.9, 34.1, 18.2, 18.2, 65.9),
        },
        "kinds": {
            "ubnd_tinh": (1, 1, 0, 0),
            "so_nganh": (12, 12, 4, 4),
            "chi_cuc": (12, 12, 4, 4),
            "ubnd_huyen": (12, 12, 4, 4),
            "ubnd_xa": (13, 7, 5, 3),
            "don_vi_su_nghiep": (11, 0, 4, 0),
        },
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("on", [ON, JUNE], ids=["end-of-year", "before-the-merger"])
def test_the_summary_of_a_representative_province_is_pinned(on):
    province, _ = representative_province()
    report = summary_report(user=overseer_of(province), root=province, on=on)
    want = PINNED[on]
    assert {r["tier"]: tuple(r[c] for c in SUMMARY_COLUMNS) for r in report.rows} == want["rows"]
    assert {
        r["tier"]: tuple(r["required"][c] for c in REQUIRED_COLUMNS) for r in report.rows
    } == want["required"]
    assert {r["tier"]: tuple(r[f"pct_{c}"] for c in PERCENT_COLUMNS) for r in report.rows} == want[
        "percent"
    ]
    assert {
        k["kind"]: (k["agencies"], k["must_apply"], k["announced"], k["announced_required"])
        for k in report.kinds
    } == want["kinds"]
    # The annex lists the agencies the summary counts, no more, no fewer.
    assert len(list(report.annex)) == report.total["agencies"]


@pytest.mark.django_db
def test_the_pinned_numbers_agree_with_an_independent_count():
    province, specs = representative_province()
    rows = selectors.summary(user=overseer_of(province), root=province, on=ON)
    got = {r["tier"]: tuple(r[c] for c in SUMMARY_COLUMNS) for r in rows if r["tier"]}
    counted = {t: tuple(c[col] for col in SUMMARY_COLUMNS) for t, c in expected(specs, ON).items()}
    assert got == counted == {t: v for t, v in PINNED[ON]["rows"].items() if t}


@pytest.mark.django_db
def test_the_summary_is_right_for_a_generated_province_of_250_agencies(province, overseer):
    specs = [root_spec(province), *generate(province, 249)]
    rows = selectors.summary(user=overseer, root=province, on=ON)
    want = expected(specs, ON)
    got = {r["tier"]: r for r in rows if r["tier"]}
    assert set(got) == set(want)
    for tier, counter in want.items():
        for column in SUMMARY_COLUMNS:
            assert got[tier][column] == counter[column], (tier, column)
    total = rows[-1]
    assert total["agencies"] == 250
    assert total["announced"] == sum(c["announced"] for c in want.values())


# --- "Chưa công bố" counts the same agencies as the other columns -------------------------------


@pytest.mark.django_db
def test_not_announced_counts_every_agency_that_has_not_announced_like_the_registry(
    province, overseer
):
    """Communes encouraged to apply (not required) that have not announced are "not yet
    announced" in the summary as in the registry — not 0 because none must apply."""
    communes = [
        AgencyFactory(code=f"XA-{i}", kind=kind("ubnd_xa"), parent=province, must_apply=False)
        for i in range(5)
    ]
    Announcement.objects.bulk_create([announcement(communes[0], date=datetime.date(2025, 2, 1))])
    rows = {r["tier"]: r for r in selectors.summary(user=overseer, root=province, on=ON)}
    commune = rows["commune"]
    assert (commune["agencies"], commune["must_apply"], commune["announced"]) == (5, 0, 1)
    assert commune["not_announced"] == 4
    registry = selectors.registry_table(user=overseer, root=province, tier="commune")
    assert commune["not_announced"] == registry.filter(last_kind__isnull=True).count()
    for row in rows.values():
        assert row["announced"] + row["not_announced"] == row["agencies"], row["tier"]


@pytest.mark.django_db
def test_the_percentages_count_only_the_agencies_that_must_apply(province, overseer):
    specs = [root_spec(province), *generate(province, 249)]
    want = expected([s for s in specs if s["must_apply"]], ON)
    rows, required = selectors.summary_and_required(user=overseer, root=province, on=ON)
    for tier, counter in want.items():
        for column in REQUIRED_COLUMNS:
            assert required[tier][column] == counter[column], (tier, column)
    rows = with_percentages(rows, required)
    for row in rows:
        for column in PERCENT_COLUMNS:
            value = row[f"pct_{column}"]
            assert value is None or 0 <= value <= 100, (row["tier"], column, value)
    total = rows[-1]
    assert total["pct_announced"] == round(
        required[""]["announced"] * 100.0 / total["must_apply"], 1
    )
    assert total["pct_not_announced"] == round(
        required[""]["not_announced"] * 100.0 / total["must_apply"], 1
    )


@pytest.mark.django_db
def test_the_summary_counts_a_merged_agency_only_until_it_was_merged(world):
    merged_on = datetime.date(2025, 7, 1)
    old = AgencyFactory(code="XA-CU", name="UBND xã Cũ", kind=kind("ubnd_xa"), parent=world.P)
    Announcement.objects.bulk_create([announcement(old, date=datetime.date(2024, 1, 5))])
    Agency.objects.filter(pk=old.pk).update(
        is_active=False,
        must_apply=True,
        active_to=merged_on - datetime.timedelta(days=1),
        successor=world.A,
    )
    before = selectors.summary(user=world.dung, root=world.P, on=datetime.date(2025, 6, 1))
    after = selectors.summary(user=world.dung, root=world.P, on=datetime.date(2025, 8, 1))
    communes_before = next(r for r in before if r["tier"] == "commune")
    assert communes_before["agencies"] == 1 and communes_before["announced"] == 1
    assert not any(r["tier"] == "commune" for r in after)
    assert after[-1]["agencies"] == before[-1]["agencies"] - 1
    assert after[-1]["announced"] == before[-1]["announced"] - 1
    annex = selectors.registry(user=world.dung, root=world.P, on=datetime.date(2025, 6, 1))
    assert "XA-CU" in {a.code for a in annex}  # the annex lists what the summary counts


@pytest.mark.django_db
def test_the_summary_counts_by_tier_in_one_query(world, django_assert_num_queries):
    communes = [AgencyFactory(parent=world.P, kind=kind("ubnd_xa"), must_apply=True) for _ in "123"]
    Announcement.objects.bulk_create(
        [announcement(world.A, number="25/QĐ-STP"), announcement(communes[0])]
    )
    overseer = type(world.dung).objects.get(pk=world.dung.pk)
    with django_assert_num_queries(2):  # the scope, then the grouped query
        rows = {r["tier"]: r for r in selectors.summary(user=overseer, on=ON)}
    assert (rows["commune"]["agencies"], rows["commune"]["announced"]) == (3, 1)
    assert (rows["provincial"]["agencies"], rows["provincial"]["announced"]) == (3, 1)
    assert rows[""]["announced"] == 2


@pytest.mark.django_db
def test_the_summary_reads_announcements_and_qms_records_through_visible_to(world, monkeypatch):
    """The counts' subqueries of announcements and QMS records go through ``visible_to`` of the
    person (and under the subtree asked for): a province's summary reads its own, not the
    country's, and they are not a second way in beside the scope."""
    from eiso.core.scoping import AgencyScopedQuerySet
    from eiso.qms.models import QualitySystem

    seen = []
    visible_to = AgencyScopedQuerySet.visible_to

    def spy(self, user, **kwargs):
        seen.append((self.model, user))
        return visible_to(self, user, **kwargs)

    monkeypatch.setattr(AgencyScopedQuerySet, "visible_to", spy)
    Announcement.objects.bulk_create([announcement(world.A), announcement(world.C)])
    summary_report(user=world.dung, root=world.A, on=ON)
    assert {(model, user) for model, user in seen if model is not Agency} == {
        (Announcement, world.dung),
        (QualitySystem, world.dung),
    }
    rows = selectors.summary(user=world.dung, root=world.A, on=ON)
    assert rows[-1]["agencies"] == 1 and rows[-1]["announced"] == 1


@pytest.mark.django_db
def test_the_registry_is_one_query_whatever_the_size(world, django_assert_num_queries):
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    overseer = type(world.dung).objects.get(pk=world.dung.pk)
    with django_assert_num_queries(2):
        rows = {a.code: a for a in selectors.registry(user=overseer)}
    assert rows["A"].last_number == "25/QĐ-STP" and rows["B"].last_number is None
    assert "C" not in rows
    for _ in range(20):
        AgencyFactory(parent=world.P)
    overseer = type(world.dung).objects.get(pk=world.dung.pk)
    with django_assert_num_queries(2):
        assert len(list(selectors.registry(user=overseer))) == 23


@pytest.mark.django_db
def test_the_annex_rows_are_three_queries_whatever_the_size(world, django_assert_num_queries):
    """The agencies with their latest announcement's id, then the announcements and the QMS
    records by id; the same rows as the annotated registry's."""
    from eiso.qms.models import QualitySystem

    Announcement.objects.bulk_create(
        [announcement(world.A, number="25/QĐ-STP"), announcement(world.C, number="9/QĐ-C")]
    )
    QualitySystem.objects.bulk_create(
        [QualitySystem(agency=world.B, status="building"), QualitySystem(agency=world.C)]
    )
    overseer = type(world.dung).objects.get(pk=world.dung.pk)
    selectors.registry(user=overseer).exists()  # the scope, cached on the user
    for size in (0, 20):
        for _ in range(size):
            AgencyFactory(parent=world.P)
        with django_assert_num_queries(3):
            rows = selectors.annex_rows(selectors.registry(user=overseer), user=overseer)
        annotated = selectors.registry(user=overseer).values(*selectors.ANNEX_VALUES)
        assert [{k: r[k] for k in selectors.ANNEX_VALUES} for r in rows] == list(annotated)
    by_code = {r["code"]: r for r in rows}
    assert by_code["A"]["last_number"] == "25/QĐ-STP" and by_code["A"]["qms_status"] is None
    assert by_code["B"]["qms_status"] == "building" and by_code["B"]["last_number"] is None
    # another province's agency, its announcement and QMS record are not the overseer's
    assert len(rows) == 23 and "C" not in by_code
    assert "9/QĐ-C" not in {r["last_number"] for r in rows}
    # a narrower annex (under A) keeps to its own agencies
    under_a = selectors.annex_rows(selectors.registry(user=overseer, root=world.A), user=overseer)
    assert [(r["code"], r["last_number"], r["qms_status"]) for r in under_a] == [
        ("A", "25/QĐ-STP", None)
    ]


@pytest.mark.django_db
def test_the_annex_rows_read_announcements_and_qms_records_through_visible_to(world):
    """The QMS records and announcements of an annex are read through ``visible_to`` of the
    person it is read for, not only kept to the annex's agencies: an annex of province P read
    for Q's overseer gets no announcement or QMS record of P."""
    from eiso.qms.models import QualitySystem

    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    QualitySystem.objects.bulk_create([QualitySystem(agency=world.B, status="building")])
    annex_of_p = selectors.registry(user=world.dung)
    mine = {r["code"]: r for r in selectors.annex_rows(annex_of_p, user=world.dung)}
    assert mine["A"]["last_number"] == "25/QĐ-STP" and mine["B"]["qms_status"] == "building"
    theirs = selectors.annex_rows(annex_of_p, user=world.em)
    assert {r["last_number"] for r in theirs} == {None}
    assert {r["qms_status"] for r in theirs} == {None}


# --- the box of sentences ----------------------------------------------------------------------


def test_a_sentence_is_complete_only_when_every_agency_counted_announced():
    assert Sentence("3/3", 3, 3).complete
    assert not Sentence("2/3", 2, 3).complete
    assert not Sentence("0/0", 0, 0).complete


@pytest.mark.django_db
def test_the_box_ticks_only_complete_ratios(world):
    Announcement.objects.bulk_create([announcement(world.A), announcement(world.B)])
    report = summary_report(user=world.dung, root=world.P, on=ON)
    lines = {s.text: s.complete for s in report.sentences()}
    # P has not announced: 2 of the 3 provincial agencies that must apply.
    assert [c for t, c in lines.items() if t.startswith("2/3")] == [False]
    Announcement.objects.bulk_create([announcement(world.P)])
    report = summary_report(user=world.dung, root=world.P, on=ON)
    assert all(s.complete for s in report.sentences())
