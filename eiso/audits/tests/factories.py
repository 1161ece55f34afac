"""Audits built through the services, as the ISO secretary, the head and the auditors would."""

from __future__ import annotations

import datetime
import importlib

from eiso.audits import services
from eiso.audits.models import IsoClause
from eiso.improvements.tests.factories import auditor, department
from eiso.objectives.tests.factories import head, secretary

FROM = datetime.date(2026, 11, 16)
TO = datetime.date(2026, 11, 18)


def load_bank() -> None:
    from django.apps import apps

    if not IsoClause.objects.exists():
        importlib.import_module("eiso.audits.migrations.0002_clauses_and_question_bank").load(
            apps, None
        )


def clause(code: str) -> IsoClause:
    load_bank()
    return IsoClause.objects.get(code=code)


def plan(world, agency, **data):
    return services.audit_create(
        actor=secretary(world, agency),
        agency=agency,
        data={
            "scope": "Toàn bộ các phòng và TTHC thuộc phạm vi áp dụng HTQLCL",
            "start_date": FROM,
            "end_date": TO,
            **data,
        },
    )


def staffed(world, agency, *, lead=None, dept_name="Phòng Hành chính tư pháp"):
    """A plan with a lead auditor (of another department) and one line of the schedule for
    ``dept_name``, with the questions of clauses 7.5 and 8.5 copied."""
    audit = plan(world, agency)
    keeper = secretary(world, agency)
    lead = lead or auditor(world, agency, department_name="Văn phòng")
    services.team_add(actor=keeper, audit=audit, user=lead, role="lead")
    session = services.session_add(
        actor=keeper,
        audit=audit,
        data={
            "department": department(agency, dept_name),
            "process": "Chứng thực, hộ tịch",
            "date": FROM,
            "start_time": datetime.time(8, 0),
            "end_time": datetime.time(10, 30),
            "auditor": lead,
        },
        clauses=[clause("7.5"), clause("8.5")],
    )
    services.checklist_copy(
        actor=keeper, audit=audit, session=session, clauses=[clause("7.5"), clause("8.5")]
    )
    return audit, session, lead


def approved(world, agency, **kwargs):
    audit, session, lead = staffed(world, agency, **kwargs)
    services.audit_approve(actor=head(world, agency), audit=audit, number="5", date=FROM)
    audit.refresh_from_db()
    return audit, session, lead
