"""The figures of an agency's annual report, generated from the records of its reporting period
(DOMAIN.md, "What the reports contain"): identity and scope, announcements, consultant and cost,
the year's maintenance (legal updates, objectives and how far met, internal audit and findings,
management review and decisions, corrective actions, risks, citizen feedback and satisfaction,
dossiers on time, training) and the annual obligations — as JSON-ready data kept on the report
(frozen once it is submitted). A fixed number of queries, whatever the agency holds.

Words here are the report's Vietnamese (the body of an official document), like the other
official outputs; where the system holds nothing the section says so."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q

from eiso.core import measures

NO_DATA = "Không có dữ liệu trong hệ thống"
DOSSIER_SOURCE = "dossiers.on_time_rate"
SATISFACTION_SOURCE = "feedback.satisfaction"


def _day(value) -> str:
    return value.isoformat() if value else ""


def _decimal(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.1")))


def identity(agency, start, end) -> dict:
    from eiso.documents.choices import DocumentKind, RevisionStatus
    from eiso.documents.models import Revision
    from eiso.procedures.models import HandledProcedure
    from eiso.qms.models import QualitySystem

    qms = QualitySystem.objects.filter(agency=agency).first()
    handled = HandledProcedure.objects.filter(agency=agency, is_active=True).count()
    internal = (
        Revision.objects.filter(
            agency=agency,
            status=RevisionStatus.ISSUED,
            effective_date__lte=end,
            document__kind=DocumentKind.INTERNAL_PROCEDURE,
        )
        .values("document_id")
        .distinct()
        .count()
    )
    return {
        "agency": agency.name,
        "code": agency.code,
        "head_name": agency.head_name,
        "head_title": agency.head_title,
        "address": agency.address,
        "procedures": handled,
        "internal_processes": internal,
        "standard_version": f"TCVN ISO 9001:{qms.standard_version}" if qms else "",
        "qms_status": qms.get_status_display() if qms else "",
        "consultant": qms.consultant if qms else "",
        "consultant_cost": int(qms.consultant_cost) if qms and qms.consultant_cost else None,
    }


def announcements(agency, start, end) -> list[dict]:
    from eiso.qms.choices import SIGNED_STATUSES
    from eiso.qms.models import Announcement

    rows = (
        Announcement.objects.filter(agency=agency, status__in=SIGNED_STATUSES, date__lte=end)
        .order_by("date", "id")
        .values("number", "date", "kind", "received_on")
    )
    return [
        {
            "number": r["number"],
            "date": _day(r["date"]),
            "kind": "re" if r["kind"] == "re" else "first",
            "received_on": _day(r["received_on"]),
            "in_period": start <= r["date"] <= end,
        }
        for r in rows
    ]


def legal_updates(agency, start, end) -> dict:
    from eiso.documents.choices import TaskStatus
    from eiso.documents.models import RevisionTask

    qs = RevisionTask.objects.filter(agency=agency).exclude(status=TaskStatus.CANCELLED)
    counts = qs.aggregate(
        started=Count("pk", filter=Q(created_at__date__range=(start, end))),
        done=Count("pk", filter=Q(status=TaskStatus.DONE, closed_at__date__range=(start, end))),
        open=Count(
            "pk",
            filter=Q(created_at__date__lte=end)
            & (Q(status=TaskStatus.OPEN) | Q(closed_at__date__gt=end)),
        ),
        overdue=Count(
            "pk",
            filter=Q(created_at__date__lte=end, due_date__lt=end)
            & (Q(status=TaskStatus.OPEN) | Q(closed_at__date__gt=end)),
        ),
    )
    return counts


def objectives(agency, year: int, end) -> dict:
    from eiso.objectives.choices import ISSUED_SET_STATUSES, ReportStatus
    from eiso.objectives.models import EvaluationReport, ObjectiveAssessment, ObjectiveSet

    issued = (
        ObjectiveSet.objects.filter(
            agency=agency, year=year, status__in=ISSUED_SET_STATUSES, decision_date__lte=end
        )
        .order_by("-revision")
        .annotate(n=Count("objectives"))
        .first()
    )
    report = EvaluationReport.objects.filter(
        agency=agency, year=year, status=ReportStatus.FINAL, report_date__lte=end
    ).first()
    results = {"met": 0, "not_met": 0, "not_measured": 0}
    items = []
    if report is not None:
        for a in (
            ObjectiveAssessment.objects.filter(report=report)
            .select_related("objective")
            .order_by("objective__number")[:40]
        ):
            key = a.result if a.result in results else "not_measured"
            results[key] += 1
            items.append(
                {
                    "statement": a.objective.statement,
                    "target": a.objective.target_text,
                    "values": a.values,
                    "result": key,
                }
            )
    return {
        "issued_on": _day(issued.decision_date) if issued else "",
        "decision_number": issued.decision_number if issued else "",
        "revision": issued.revision if issued else None,
        "total": issued.n if issued else 0,
        "report_date": _day(report.report_date) if report else "",
        **results,
        "items": items,
    }


def audit(agency, year: int, start, end) -> dict:
    from eiso.audits.choices import AuditStatus
    from eiso.audits.models import Finding, InternalAudit

    audits = list(
        InternalAudit.objects.filter(
            agency=agency,
            year=year,
            status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED],
            report_date__lte=end,
        ).order_by("start_date")
    )
    grades = dict(
        Finding.objects.filter(audit__in=audits)
        .order_by()
        .values_list("grade")
        .annotate(n=Count("pk"))
    )
    return {
        "count": len(audits),
        "dates": [
            {"start": _day(a.start_date), "end": _day(a.end_date), "report": _day(a.report_date)}
            for a in audits
        ],
        "findings": {g: grades.get(g, 0) for g in ("major", "minor", "observation", "improvement")},
        "conclusion": audits[-1].conclusion if audits else "",
    }


def review(agency, year: int, end) -> dict:
    from eiso.reviews.models import ManagementReview, ReviewOutput

    held = list(
        ManagementReview.objects.filter(
            agency=agency, year=year, status__in=["held", "minutes_issued"], meeting_date__lte=end
        ).order_by("meeting_date")
    )
    outputs = ReviewOutput.objects.filter(review__in=held).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__lte=end))
    )
    return {
        "count": len(held),
        "dates": [_day(r.meeting_date) for r in held],
        "decisions": outputs["total"],
        "decisions_done": outputs["done"],
        "conclusions": held[-1].conclusions if held else "",
    }


def corrective(agency, start, end) -> dict:
    from eiso.improvements.choices import NcStatus
    from eiso.improvements.models import Nonconformity

    qs = Nonconformity.objects.filter(agency=agency, raised_on__lte=end)
    closed_by = Q(status=NcStatus.CLOSED, closed_on__lte=end)
    return qs.aggregate(
        raised=Count("pk", filter=Q(raised_on__gte=start)),
        closed=Count("pk", filter=closed_by & Q(closed_on__gte=start)),
        open=Count("pk", filter=~closed_by),
        overdue=Count("pk", filter=~closed_by & Q(due_date__lt=end)),
    )


def risks(agency, year: int, end) -> dict:
    from eiso.risks.choices import ReportStatus
    from eiso.risks.models import Risk, RiskReport, Treatment

    counts = Risk.objects.filter(agency=agency, year=year).aggregate(
        total=Count("pk"),
        risks=Count("pk", filter=Q(kind="risk")),
        opportunities=Count("pk", filter=Q(kind="opportunity")),
    )
    treatments = Treatment.objects.filter(risk__agency=agency, risk__year=year).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__lte=end))
    )
    report = RiskReport.objects.filter(
        agency=agency, year=year, status=ReportStatus.FINAL, report_date__lte=end
    ).first()
    return {
        **counts,
        "treatments": treatments["total"],
        "treatments_done": treatments["done"],
        "report_date": _day(report.report_date) if report else "",
    }


def indicator(key: str, agency, start, end) -> float | None:
    """A measurement source's value for the period (None when its module is not installed or
    holds no data)."""
    if measures.get(key) is None:
        return None
    return _decimal(measures.compute(key, agency, start, end))


def training(agency, start, end) -> dict | None:
    """Training held in the period and certificates issued, when the training module is
    installed (None otherwise: the report then says the system holds nothing)."""
    if not apps.is_installed("eiso.training"):
        return None
    try:
        sessions = apps.get_model("training", "TrainingSession")
        attendances = apps.get_model("training", "Attendance")
        certificates = apps.get_model("training", "Certificate")
    except LookupError:
        return None
    return {
        "sessions": sessions.objects.filter(agency=agency, starts_on__range=(start, end)).count(),
        "attended": attendances.objects.filter(
            agency=agency, attended=True, session__starts_on__range=(start, end)
        ).count(),
        "certificates": certificates.objects.filter(
            agency=agency, issued_on__range=(start, end)
        ).count(),
    }


def obligations(agency, year: int, on) -> dict:
    from eiso.cycle import selectors as cycle

    found = cycle.agency_obligations(agency=agency, year=year, on=on)
    return {
        "total": len(found.obligations),
        "met_on_time": found.count("met_on_time"),
        "met_late": found.count("met_late"),
        "overdue": found.count("overdue"),
        "items": [
            {
                "title": o.title,
                "label": str(o.label),
                "due": _day(o.due),
                "state": o.state,
                "met_on": _day(o.met_on),
            }
            for o in sorted(found.obligations, key=lambda o: (o.due, o.rule.order))
            if o.due <= on or o.met
        ],
    }


def generate(agency, year: int, start: datetime.date, end: datetime.date) -> dict:
    """Every section of the report of ``year`` (``start``–``end``: the reporting period)."""
    return {
        "period": {"start": _day(start), "end": _day(end)},
        "identity": identity(agency, start, end),
        "announcements": announcements(agency, start, end),
        "legal_updates": legal_updates(agency, start, end),
        "objectives": objectives(agency, year, end),
        "audit": audit(agency, year, start, end),
        "review": review(agency, year, end),
        "corrective": corrective(agency, start, end),
        "risks": risks(agency, year, end),
        "satisfaction": indicator(SATISFACTION_SOURCE, agency, start, end),
        "on_time_rate": indicator(DOSSIER_SOURCE, agency, start, end),
        "training": training(agency, start, end),
        "obligations": obligations(agency, year, end),
    }
