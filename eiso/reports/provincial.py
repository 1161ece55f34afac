"""The figures of a province's summary report (DOMAIN.md, "What the reports contain"): by tier,
the agencies, how many must apply, have built, applied, announced, re-announced (the oversight
module's summary, counted the same way), how many reported, had their internal audit and their
management review, were inspected by the Sở KH&CN in the year (an inspection record made in an
approved plan: the inspections module's count), the objectives met, the on-time dossier rate
where the records module says it; the agencies that have not reported; the annex of every agency
with its announcement.

Reproducible: everything is read as it stood on the day asked (records dated after it do not
count), so the same day gives the same figures. Aggregated in SQL: a fixed number of queries
whatever the number of agencies. ``as_json`` is what a sent report keeps."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from eiso.audits.choices import AuditStatus
from eiso.audits.models import InternalAudit
from eiso.cycle import selectors as cycle
from eiso.inspections import selectors as inspections
from eiso.objectives.choices import ReportStatus as EvaluationStatus
from eiso.objectives.models import ObjectiveAssessment
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.oversight import selectors as oversight
from eiso.reports import kpis
from eiso.reports.choices import DELIVERED, ReportStatus
from eiso.reports.models import AnnualReport
from eiso.reports.rules import OVERSIGHT
from eiso.reviews.models import ManagementReview

COLUMNS = (
    "agencies",
    "must_apply",
    "built",
    "applied",
    "announced",
    "re_announced",
    "not_announced",
    "concerned",
    "reported",
    "reported_late",
    "audited",
    "reviewed",
    "objectives_met",
    "objectives_assessed",
    "inspected",
)


def _reported_by(on: datetime.date) -> Q:
    """A report that had reached the overseer on ``on``: delivered, or returned only later."""
    return Q(submitted_on__lte=on) & (
        Q(status__in=DELIVERED) | Q(status=ReportStatus.RETURNED, returned_on__gt=on)
    )


@dataclass
class ProvincialFigures:
    root: Agency | None
    year: int
    on: datetime.date
    rows: list[dict]
    not_reported: list[dict]
    annex: list[dict]
    kinds: list[dict] = field(default_factory=list)
    dossier_known: bool = False

    @property
    def total(self) -> dict | None:
        return self.rows[-1] if self.rows else None

    def as_json(self) -> dict:
        return {
            "root": self.root.code if self.root else "",
            "root_name": self.root.name if self.root else "",
            "year": self.year,
            "on": self.on.isoformat(),
            "rows": self.rows,
            "not_reported": self.not_reported,
            "annex": self.annex,
            "kinds": self.kinds,
            "dossier_known": self.dossier_known,
        }

    @classmethod
    def from_json(cls, data: dict, root=None) -> ProvincialFigures:
        return cls(
            root=root,
            year=data["year"],
            on=datetime.date.fromisoformat(data["on"]),
            rows=data["rows"],
            not_reported=data["not_reported"],
            annex=data["annex"],
            kinds=data.get("kinds", []),
            dossier_known=data.get("dossier_known", False),
        )


def _active_on(user, root: Agency | None, on: datetime.date):
    """The agencies under ``root`` the user oversees that existed on ``on``."""
    qs = Agency.objects.visible_to(user, action=OVERSIGHT).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs


def _by_tier(qs, agency_field: str, **counts) -> dict[str, dict]:
    rows = qs.order_by().values(f"{agency_field}__tier").annotate(**counts)
    return {row[f"{agency_field}__tier"]: row for row in rows}


def _pct(part, whole) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


def compute(*, user, root: Agency | None, year: int, on: datetime.date) -> ProvincialFigures:
    """The summary of ``root``'s subtree (everything the user oversees when None) for ``year``
    as it stood on ``on``."""
    base = {r["tier"]: r for r in oversight.summary(user=user, root=root, on=on) if r["tier"]}
    agencies = _active_on(user, root, on)
    concerned = cycle.concerned(agencies, on)
    ids = agencies.values("pk")
    concerned_by_tier = dict(concerned.order_by().values_list("tier").annotate(n=Count("pk")))
    reports = AnnualReport.objects.filter(agency__in=ids, year=year).filter(_reported_by(on))
    reported = _by_tier(
        reports,
        "agency",
        n=Count("agency", distinct=True),
        late=Count("agency", distinct=True, filter=Q(late=True)),
    )
    audited = _by_tier(
        InternalAudit.objects.filter(
            agency__in=ids,
            year=year,
            status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED],
            report_date__lte=on,
        ),
        "agency",
        n=Count("agency", distinct=True),
    )
    reviewed = _by_tier(
        ManagementReview.objects.filter(
            agency__in=ids,
            year=year,
            status__in=["held", "minutes_issued"],
            meeting_date__lte=on,
        ),
        "agency",
        n=Count("agency", distinct=True),
    )
    objectives = _by_tier(
        ObjectiveAssessment.objects.filter(
            agency__in=ids,
            report__year=year,
            report__status=EvaluationStatus.FINAL,
            report__report_date__lte=on,
        ),
        "agency",
        met=Count("pk", filter=Q(result="met")),
        assessed=Count("pk", filter=Q(result__in=["met", "not_met"])),
    )
    dossier = _dossier_rates(agencies, year, on)
    inspected = inspections.inspected_counts(user=user, root=root, year=year, on=on)
    rows = []
    for value, label in Tier.choices:
        if value not in base:
            continue
        b = base[value]
        row = {
            "tier": value,
            "label": str(label),
            **{k: b[k] for k in COLUMNS[:7]},
            "concerned": concerned_by_tier.get(value, 0),
            "reported": reported.get(value, {}).get("n", 0),
            "reported_late": reported.get(value, {}).get("late", 0),
            "audited": audited.get(value, {}).get("n", 0),
            "reviewed": reviewed.get(value, {}).get("n", 0),
            "objectives_met": objectives.get(value, {}).get("met", 0),
            "objectives_assessed": objectives.get(value, {}).get("assessed", 0),
            "inspected": inspected.get(value, 0),
            "on_time_rate": dossier.get(value) if dossier is not None else None,
        }
        rows.append(row)
    if rows:
        total = {"tier": "", "label": _("Total")}
        for column in COLUMNS:
            total[column] = sum(r[column] for r in rows)
        total["on_time_rate"] = dossier.get("") if dossier is not None else None
        rows.append(total)
    for row in rows:
        row["pct_reported"] = _pct(row["reported"], row["concerned"])
        row["pct_objectives_met"] = _pct(row["objectives_met"], row["objectives_assessed"])
    missing = (
        concerned.exclude(pk__in=reports.values("agency_id"))
        .select_related("kind")
        .order_by("tier", "path")
        .values("pk", "code", "name", "tier", "kind__name")
    )
    not_reported = [
        {
            "id": a["pk"],
            "code": a["code"],
            "name": a["name"],
            "tier": a["tier"],
            "kind": a["kind__name"],
        }
        for a in missing
    ]
    annex = [
        {
            "code": a.code,
            "name": a.name,
            "tier": a.tier,
            "must_apply": a.must_apply,
            "qms_status": a.qms_status or "not_started",
            "standard_version": a.qms_version or "",
            "number": a.last_number or "",
            "date": a.last_date.isoformat() if a.last_date else "",
            "kind": a.last_kind or "",
            "received_on": a.last_received.isoformat() if a.last_received else "",
        }
        for a in oversight.registry(user=user, root=root, on=on)
    ]
    return ProvincialFigures(
        root=root,
        year=year,
        on=on,
        rows=rows,
        not_reported=not_reported,
        annex=annex,
        kinds=oversight.summary_by_kind(user=user, root=root, on=on),
        dossier_known=dossier is not None,
    )


def _dossier_rates(agencies, year: int, on: datetime.date) -> dict[str, float] | None:
    """The average on-time rate of the agencies of each tier that have dossiers (``""``: of
    all), from 1 January to ``on`` — when the records module answers for many agencies at
    once; None otherwise."""
    pairs = list(agencies.values_list("pk", "tier"))
    values = kpis.dossier_rates([pk for pk, _ in pairs], datetime.date(year, 1, 1), on)
    if values is None:
        return None
    by_tier: dict[str, list[Decimal]] = defaultdict(list)
    for pk, tier in pairs:
        if pk in values:
            by_tier[tier].append(values[pk])
            by_tier[""].append(values[pk])
    return {
        tier: round(float(sum(found) / len(found)), 1) for tier, found in by_tier.items() if found
    }
