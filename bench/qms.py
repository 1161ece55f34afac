"""QMS and procedure data for the overseer's rows of the benchmark (issue 15): every agency's
QMS record in a fixed pattern (none, building, applied, announced), announcements (a first one
for about half, a re-announcement for one in six), the province's catalogue of administrative
procedures and the procedures each agency handles (by tier: a commune about 100 of the
catalogue's 400, a department 40, the People's Committee 20). Bulk-created, seeded by the
agency's position, so a size always gives the same data.

    from bench.qms import add_qms
    counts = add_qms()      # after bench/generate.py filled the agencies
"""

from __future__ import annotations

import datetime

CATALOGUE = 400
BATCH = 5000


def add_qms() -> dict[str, int]:
    from eiso.organizations.models import Agency
    from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
    from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus, StandardVersion
    from eiso.qms.models import Announcement, QualitySystem

    statuses = (None, QmsStatus.BUILDING, QmsStatus.APPLIED, QmsStatus.ANNOUNCED)
    levels = ("provincial", "district", "commune")
    procedures = [
        AdministrativeProcedure(
            code=f"1.{i:06d}",
            name=f"Thủ tục hành chính số {i}",
            field=f"Lĩnh vực {i % 20}",
            level=levels[i % 3],
            time_limit_days=5 + i % 10,
            search_text=f"thu tuc hanh chinh so {i}",
        )
        for i in range(CATALOGUE)
    ]
    AdministrativeProcedure.objects.bulk_create(procedures, batch_size=BATCH)
    procedure_ids = list(
        AdministrativeProcedure.objects.order_by("code").values_list("pk", flat=True)
    )
    systems, announcements, handled = [], [], []
    counts = {"quality systems": 0, "announcements": 0, "handled procedures": 0}

    def flush(force=False):
        for model, rows, key in (
            (QualitySystem, systems, "quality systems"),
            (Announcement, announcements, "announcements"),
            (HandledProcedure, handled, "handled procedures"),
        ):
            if rows and (force or len(rows) >= BATCH):
                model.objects.bulk_create(rows, batch_size=BATCH)
                counts[key] += len(rows)
                rows.clear()

    agencies = Agency.objects.order_by("pk").values_list("pk", "code", "tier")
    for i, (pk, code, tier) in enumerate(agencies.iterator(chunk_size=2000)):
        status = statuses[i % 4]
        if status:
            systems.append(
                QualitySystem(
                    agency_id=pk,
                    status=status,
                    reannouncement_reason="Sáp nhập đơn vị" if i % 12 == 0 else "",
                )
            )
        if status == QmsStatus.ANNOUNCED or i % 3 == 0:
            announcements.append(
                Announcement(
                    agency_id=pk,
                    kind=AnnouncementKind.FIRST,
                    number=f"{pk}/QĐ-{code}"[:60],
                    date=datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 700),
                    signer_name="Người ký",
                    signer_title="THỦ TRƯỞNG",
                    standard_version=StandardVersion.V2015,
                    status=AnnouncementStatus.RECEIVED,
                )
            )
            if i % 6 == 0:
                announcements.append(
                    Announcement(
                        agency_id=pk,
                        kind=AnnouncementKind.RE,
                        number=f"{pk}/QĐ-{code}-2"[:60],
                        date=datetime.date(2025, 3, 1),
                        signer_name="Người ký",
                        signer_title="THỦ TRƯỞNG",
                        standard_version=StandardVersion.V2015,
                        status=AnnouncementStatus.RECEIVED,
                    )
                )
        share = {"commune": 100, "district": 60}.get(tier, 40 if i % 25 else 20)
        start = (i * 37) % CATALOGUE
        for k in range(share):
            handled.append(
                HandledProcedure(
                    agency_id=pk,
                    procedure_id=procedure_ids[(start + k) % CATALOGUE],
                    since=datetime.date(2024, 1, 1),
                    is_active=k % 15 != 0,
                )
            )
        flush()
    flush(force=True)
    counts["administrative procedures"] = CATALOGUE
    return counts
