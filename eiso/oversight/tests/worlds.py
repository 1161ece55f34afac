"""Generated provinces for the overseer's tests: agencies of every kind and tier, QMS records
and announcements in a fixed pattern (bulk-created), and what each agency is, so the expected
numbers can be computed independently of the code under test."""

from __future__ import annotations

import datetime
from collections import Counter

from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory, kind
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus, StandardVersion
from eiso.qms.models import Announcement, QualitySystem

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
    pattern; returns what each agency is, to compute the expected numbers independently.
    Communes alternate between must apply and encouraged to apply."""
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
                "code": agency.code,
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
    """The summary's numbers by tier computed from the specs (every column over the same
    agencies: "not announced" is the complement of "announced")."""
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
        row["not_announced"] += not announced
    return by_tier


def root_spec(root) -> dict:
    return {
        "code": root.code,
        "tier": root.tier,
        "must_apply": root.must_apply,
        "status": None,
        "announcements": [],
    }


def representative_province(code: str = "GEN") -> tuple[Agency, list[dict]]:
    """A province like the demo's, in small: the People's Committee, 59 agencies of every kind
    (departments, sub-departments, districts, communes half of which must apply, public
    service units) with QMS records and announcements first and again, some after the date
    or still drafts; and a commune merged away before the date (it no longer counts)."""
    province = AgencyFactory(
        code=code, name="Ủy ban nhân dân tỉnh Sinh Thử", kind=kind("ubnd_tinh")
    )
    specs = [root_spec(province), *generate(province, 59)]
    merged = AgencyFactory(
        code=f"{code}-CU", name="UBND xã Cũ", kind=kind("ubnd_xa"), parent=province
    )
    Announcement.objects.bulk_create([announcement(merged, date=datetime.date(2024, 1, 5))])
    Agency.objects.filter(pk=merged.pk).update(
        is_active=False, must_apply=True, active_to=datetime.date(2025, 6, 30)
    )
    return province, specs
