"""The overseer's side: the registry, the provincial summary (page, XLSX, DOCX) and reminders."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.core.models import AuditEvent, Notification
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory, kind
from eiso.qms import reminders, selectors
from eiso.qms.choices import (
    AnnouncementKind,
    AnnouncementStatus,
    QmsStatus,
    ReminderKind,
    StandardVersion,
)
from eiso.qms.models import Announcement, QualitySystem, Reminder

ON = datetime.date(2025, 12, 31)
KINDS = ("so_nganh", "chi_cuc", "ubnd_huyen", "ubnd_xa", "don_vi_su_nghiep")
STATUSES = (None, QmsStatus.BUILDING, QmsStatus.APPLIED, QmsStatus.ANNOUNCED)


def announcement(agency, *, kind=AnnouncementKind.FIRST, date=ON, number="", status=None):
    return Announcement(
        agency=agency,
        kind=kind,
        number=number or f"{agency.pk}/QĐ-{agency.code}",
        date=date,
        signer_name="Người ký",
        signer_title="GIÁM ĐỐC",
        standard_version=StandardVersion.V2015,
        status=status or AnnouncementStatus.RECEIVED,
    )


def generate(parent, count: int, *, start: int = 0) -> list[dict]:
    """``count`` agencies under ``parent``, with QMS records and announcements bulk-created in a
    pattern; returns what each agency is, to compute the expected numbers independently."""
    specs, systems, announcements = [], [], []
    for i in range(start, start + count):
        kind_code = KINDS[i % 5]
        agency_kind = kind(kind_code)
        must = agency_kind.must_apply if kind_code != "ubnd_xa" else i % 2 == 0
        agency = AgencyFactory(
            code=f"{parent.code}-{i:04d}",
            name=f"Cơ quan sinh số {i}",
            kind=agency_kind,
            parent=parent,
            must_apply=must,
        )
        status = STATUSES[i % 4]
        if status:
            systems.append(QualitySystem(agency=agency, status=status))
        dates = []
        if i % 3 == 0:
            announcements.append(announcement(agency, date=datetime.date(2024, 5, 2)))
            dates.append(("first", datetime.date(2024, 5, 2)))
            if i % 6 == 0:
                announcements.append(
                    announcement(agency, kind=AnnouncementKind.RE, date=datetime.date(2025, 3, 1))
                )
                dates.append(("re", datetime.date(2025, 3, 1)))
        elif i % 7 == 1:
            # After the date, and a draft: neither counts.
            announcements.append(announcement(agency, date=ON + datetime.timedelta(days=5)))
            announcements.append(
                announcement(agency, date=None, number="-", status=AnnouncementStatus.DRAFT)
            )
        specs.append(
            {
                "tier": agency.tier,
                "must_apply": must,
                "status": status,
                "announcements": dates,
            }
        )
    QualitySystem.objects.bulk_create(systems)
    Announcement.objects.bulk_create(announcements)
    return specs


def expected(specs: list[dict], on: datetime.date) -> dict[str, Counter]:
    by_tier: dict[str, Counter] = {}
    for spec in specs:
        row = by_tier.setdefault(spec["tier"], Counter())
        signed = [(k, d) for k, d in spec["announcements"] if d <= on]
        announced = bool(signed)
        row["agencies"] += 1
        row["must_apply"] += spec["must_apply"]
        row["built"] += announced or spec["status"] in ("building", "applied", "announced")
        row["applied"] += announced or spec["status"] in ("applied", "announced")
        row["announced"] += announced
        row["re_announced"] += any(k == "re" for k, _ in signed)
        row["announced_this_year"] += any(d.year == on.year for _, d in signed)
        row["not_announced"] += spec["must_apply"] and not announced
    return by_tier


def root_spec(root) -> dict:
    return {"tier": root.tier, "must_apply": root.must_apply, "status": None, "announcements": []}


@pytest.fixture
def province(db):
    return AgencyFactory(code="GEN", name="Ủy ban nhân dân tỉnh Sinh Thử", kind=kind("ubnd_tinh"))


@pytest.fixture
def overseer(province):
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.core.roles import Role

    user = UserFactory(username="giamsat-gen", full_name="Giám Sát")
    MembershipFactory(user=user, agency=province, role=Role.OVERSEER)
    return user


# --- the summary's numbers ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_summary_is_right_for_a_generated_province_of_250_agencies(province, overseer):
    specs = [root_spec(province), *generate(province, 249)]
    rows = selectors.summary(user=overseer, root=province, on=ON)
    want = expected(specs, ON)
    got = {r["tier"]: r for r in rows if r["tier"]}
    assert set(got) == set(want)
    for tier, counter in want.items():
        for column in selectors.SUMMARY_COLUMNS:
            assert got[tier][column] == counter[column], (tier, column)
    total = rows[-1]
    assert total["agencies"] == 250
    assert total["announced"] == sum(c["announced"] for c in want.values())


@pytest.mark.django_db
def test_the_percentages_count_only_the_agencies_that_must_apply(province, overseer):
    from eiso.qms.summary_outputs import with_percentages

    specs = [root_spec(province), *generate(province, 249)]
    want = expected([s for s in specs if s["must_apply"]], ON)
    required = selectors.summary_required(user=overseer, root=province, on=ON)
    for tier, counter in want.items():
        for column in selectors.SUMMARY_COLUMNS[1:]:
            assert required[tier][column] == counter[column], (tier, column)
    rows = with_percentages(selectors.summary(user=overseer, root=province, on=ON), required)
    for row in rows:
        for column in selectors.SUMMARY_COLUMNS[2:]:
            value = row[f"pct_{column}"]
            assert value is None or 0 <= value <= 100, (row["tier"], column, value)
    total = rows[-1]
    assert total["pct_announced"] == round(
        required[""]["announced"] * 100.0 / total["must_apply"], 1
    )


@pytest.mark.django_db
def test_the_summary_counts_a_merged_agency_only_until_it_was_merged(world):
    merged_on = datetime.date(2025, 7, 1)
    old = AgencyFactory(code="XA-CU", name="UBND xã Cũ", kind=kind("ubnd_xa"), parent=world.P)
    old.must_apply = True
    old.save()
    Announcement.objects.bulk_create([announcement(old, date=datetime.date(2024, 1, 5))])
    Agency.objects.filter(pk=old.pk).update(
        is_active=False, active_to=merged_on - datetime.timedelta(days=1), successor=world.A
    )
    before = selectors.summary(user=world.dung, root=world.P, on=datetime.date(2025, 6, 1))
    after = selectors.summary(user=world.dung, root=world.P, on=datetime.date(2025, 8, 1))
    communes_before = next(r for r in before if r["tier"] == "commune")
    assert communes_before["agencies"] == 1 and communes_before["announced"] == 1
    assert not any(r["tier"] == "commune" for r in after)
    assert after[-1]["agencies"] == before[-1]["agencies"] - 1
    assert after[-1]["announced"] == before[-1]["announced"] - 1


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
    client.force_login(overseer)
    url = reverse(name) + f"?root={province.pk}"
    if name == "oversight:reminders":
        reminders.reminders_send(actor=overseer, root=province, kind=ReminderKind.NOT_ANNOUNCED)
    small = _queries(client, url)
    generate(province, 225, start=25)
    if name == "oversight:reminders":
        reminders.reminders_send(actor=overseer, root=province, kind=ReminderKind.NOT_ANNOUNCED)
    with django_assert_num_queries(small):
        client.get(url)


# --- isolation ---------------------------------------------------------------------------------


def table(response, testid="registry-table") -> str:
    body = response.content.decode()
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</table>", start)]


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
@pytest.mark.parametrize("persona", ["an", "binh", "chi"])
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
    for ordering in ("-code", "coverage", "-date", "status", "reminded"):
        assert client.get(url + f"?ordering={ordering}").status_code == 200


# --- reminders ---------------------------------------------------------------------------------


@pytest.fixture
def announced_a(world):
    """A announced and flagged for re-announcement; B and P (must apply) have not announced."""
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    QualitySystem.objects.create(
        agency=world.A, status=QmsStatus.ANNOUNCED, reannouncement_reason="Sáp nhập xã"
    )
    return world


@pytest.mark.django_db
def test_reminders_reach_only_the_agencies_that_have_not_announced(announced_a):
    world = announced_a
    count = reminders.reminders_send(
        actor=world.dung, root=world.P, kind=ReminderKind.NOT_ANNOUNCED, message="Nhắc công bố"
    )
    assert count == 2
    assert set(Reminder.objects.values_list("agency__code", flat=True)) == {"P", "B"}
    assert Notification.objects.filter(user=world.chi, agency=world.B).exists()
    assert not Notification.objects.filter(user__in=[world.an, world.hai, world.cuong]).exists()
    reminder = Reminder.objects.get(agency=world.B)
    assert reminder.sent_by == world.dung and reminder.recipients == 1
    assert reminder.message == "Nhắc công bố"
    assert AuditEvent.objects.filter(action="qms.remind", agency=world.B).exists()


@pytest.mark.django_db
def test_reminders_of_a_due_reannouncement_reach_the_secretary_and_the_head(announced_a):
    world = announced_a
    count = reminders.reminders_send(
        actor=world.dung, root=world.P, kind=ReminderKind.REANNOUNCEMENT_DUE
    )
    assert count == 1
    assert list(Reminder.objects.values_list("agency__code", flat=True)) == ["A"]
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"an", "hai"}  # not binh (staff), not chi (agency B)


@pytest.mark.django_db
def test_an_overseer_cannot_remind_another_province(world):
    from eiso.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        reminders.reminders_send(actor=world.em, root=world.P, kind=ReminderKind.NOT_ANNOUNCED)
    with pytest.raises(NotPermitted):
        reminders.reminders_send(actor=world.an, root=world.A, kind=ReminderKind.NOT_ANNOUNCED)
    assert not Reminder.objects.exists()


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
    assert Reminder.objects.count() == 2
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


# --- the files ---------------------------------------------------------------------------------


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


@pytest.mark.django_db
def test_the_summary_report_is_a_docx_with_the_table_and_the_annex(client, announced_a):
    from docx import Document

    world = announced_a
    client.force_login(world.dung)
    response = client.get(reverse("oversight:summary_docx") + f"?root={world.P.pk}")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "Tổng hợp tình hình áp dụng, công bố" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Đã công bố" in cells and "Tổng cộng" in cells
    assert "25/QĐ-STP" in cells and "Sở Y tế tỉnh Phú An" in cells
    assert "Lần đầu" in cells and "Cấp tỉnh" in cells  # Vietnamese whatever the UI language
