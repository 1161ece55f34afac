"""An agency whose 2023 follows the annual cycle's dates exactly (issue 13, "Must show"), its
records written straight into the other modules' tables on the days they happened (those
modules' own tests cover how their services make them; here only their dates matter): the
plan and the committee updated in 12/2022–01/2023, the objectives in 01/2023, the objective and
risk reports before the internal audit, the audit and the management review in 10–11/2023, the
annual report before 15/12/2023 — and, to show the other side, the master list NOT reviewed in
the third quarter.

``EXPECTED`` lists every obligation with its due date and the day it was met (None: never)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

D = datetime.date


@dataclass(frozen=True)
class Expected:
    code: str
    instance: str
    due: datetime.date
    met: datetime.date | None
    appears: datetime.date | None = None  # an event's obligation exists from this day
    remind_before: int = 14


EXPECTED = [
    Expected("plan", "", D(2023, 1, 31), D(2022, 12, 20)),
    Expected("committee", "", D(2023, 1, 31), D(2023, 1, 5)),
    Expected("objectives", "", D(2023, 1, 31), D(2023, 1, 16)),
    Expected("master_list", "Q1", D(2023, 3, 31), D(2023, 3, 20), remind_before=10),
    Expected("master_list", "Q2", D(2023, 6, 30), D(2023, 6, 15), remind_before=10),
    Expected("master_list", "Q3", D(2023, 9, 30), None, remind_before=10),
    Expected("master_list", "Q4", D(2023, 12, 31), D(2023, 12, 10), remind_before=10),
    Expected("legal_update", "task", D(2023, 6, 1), D(2023, 5, 10), appears=D(2023, 3, 1)),
    Expected("objectives_report", "", D(2023, 10, 15), D(2023, 10, 2)),
    Expected("risks_report", "", D(2023, 10, 15), D(2023, 10, 5)),
    Expected("internal_audit", "", D(2023, 11, 30), D(2023, 10, 25), remind_before=30),
    Expected("management_review", "", D(2023, 11, 30), D(2023, 11, 20), remind_before=30),
    Expected("annual_report", "", D(2023, 12, 15), D(2023, 12, 8), remind_before=30),
    Expected("reannouncement", "2023-07-01", D(2023, 10, 1), D(2023, 8, 15), D(2023, 7, 1)),
    Expected("committee_change", "2023-04-03", D(2023, 5, 3), D(2023, 4, 20), D(2023, 4, 3)),
]


def expected_state(item: Expected, on: datetime.date) -> str | None:
    """What the obligation must show on ``on`` (None: it does not exist yet)."""
    if item.appears is not None and on < item.appears:
        return None
    if item.met is not None and item.met <= on:
        return "met_on_time" if item.met <= item.due else "met_late"
    if on > item.due:
        return "overdue"
    if (item.due - on).days <= item.remind_before:
        return "due_soon"
    return "not_yet_due"


def _at(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def build_year(world, agency=None):
    """Write the records of agency A's 2023 (see the module's docstring); returns the revision
    task so a test can name its instance."""
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.audits.models import InternalAudit
    from eiso.core.roles import Role
    from eiso.documents.models import (
        Document,
        ExternalDocument,
        IssuingDecision,
        MasterListReview,
        Revision,
        RevisionTask,
    )
    from eiso.objectives.models import EvaluationReport, ObjectiveSet
    from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
    from eiso.qms.models import Announcement, CommitteeDecision
    from eiso.reports.models import AnnualReport
    from eiso.reviews.models import ManagementReview
    from eiso.risks.models import RiskReport

    agency = agency or world.A
    an = world.an

    decision = IssuingDecision.objects.create(
        agency=agency,
        number="101/QĐ-A",
        date=D(2022, 12, 20),
        subject="Ban hành Kế hoạch duy trì, cải tiến HTQLCL năm 2023",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        status="signed",
        created_by=an,
    )
    plan = Document.objects.create(
        agency=agency,
        code="KH-2023",
        title="Kế hoạch duy trì, cải tiến HTQLCL năm 2023",
        kind="other",
        created_by=an,
        search_text="kh-2023 ke hoach duy tri, cai tien htqlcl nam 2023",
    )
    Revision.objects.create(
        agency=agency,
        document=plan,
        number=1,
        status="issued",
        effective_date=D(2022, 12, 20),
        drafted_by=an,
        decision=decision,
        issued_at=_at(D(2022, 12, 20)),
    )
    CommitteeDecision.objects.create(
        agency=agency, number="02/QĐ-A", date=D(2023, 1, 5), created_by=an
    )
    ObjectiveSet.objects.create(
        agency=agency,
        year=2023,
        status="issued",
        decision_number="05/QĐ-A",
        decision_date=D(2023, 1, 16),
    )
    for quarter, day in ((1, D(2023, 3, 20)), (2, D(2023, 6, 15)), (4, D(2023, 12, 10))):
        MasterListReview.objects.create(
            agency=agency,
            year=2023,
            quarter=quarter,
            reviewed_on=day,
            reviewed_by=an,
            result="up_to_date",
        )
    text = ExternalDocument.objects.create(
        agency=agency,
        kind="legal",
        number="05/2023/TT-BTP",
        title="Thông tư mới",
        effective_date=D(2023, 3, 1),
        search_text="05/2023/tt-btp thong tu moi",
    )
    procedure = Document.objects.create(
        agency=agency,
        code="QT-07",
        title="Quy trình chứng thực",
        kind="tthc_procedure",
        created_by=an,
        search_text="qt-07 quy trinh chung thuc",
    )
    task = RevisionTask.objects.create(
        agency=agency,
        document=procedure,
        external_document=text,
        reason="new_text",
        due_date=D(2023, 6, 1),
        status="done",
        closed_at=_at(D(2023, 5, 10)),
    )
    # The first announcement (2022), the scope changed on 01/07/2023, re-announced 15/08/2023.
    Announcement.objects.create(
        agency=agency,
        kind="first",
        number="20/QĐ-A",
        date=D(2022, 6, 1),
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        standard_version="2015",
        status="received",
        received_on=D(2022, 6, 10),
    )
    handled = HandledProcedure.objects.create(
        agency=agency,
        procedure=AdministrativeProcedure.objects.create(
            code=f"1.000001.000.00.00.{agency.code}", name="Chứng thực bản sao", level="provincial"
        ),
    )
    HandledProcedure.objects.filter(pk=handled.pk).update(
        created_at=_at(D(2023, 7, 1)), updated_at=_at(D(2023, 7, 1))
    )
    Announcement.objects.create(
        agency=agency,
        kind="re",
        number="88/QĐ-A",
        date=D(2023, 8, 15),
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        standard_version="2015",
        status="sent",
    )
    # A new head took up the post on 03/04/2023; the committee updated on 20/04/2023.
    MembershipFactory(
        user=UserFactory(username=f"headnew{agency.pk}", full_name="Lý Thị Mới"),
        agency=agency,
        role=Role.HEAD,
        started_on=D(2023, 4, 3),
    )
    CommitteeDecision.objects.create(
        agency=agency, number="30/QĐ-A", date=D(2023, 4, 20), created_by=an
    )
    EvaluationReport.objects.create(
        agency=agency, year=2023, status="final", report_date=D(2023, 10, 2)
    )
    RiskReport.objects.create(agency=agency, year=2023, status="final", report_date=D(2023, 10, 5))
    InternalAudit.objects.create(
        agency=agency,
        year=2023,
        sequence=1,
        title="Đánh giá nội bộ năm 2023",
        scope="Toàn bộ",
        criteria="TCVN ISO 9001:2015",
        start_date=D(2023, 10, 16),
        end_date=D(2023, 10, 18),
        status="reported",
        report_date=D(2023, 10, 25),
    )
    ManagementReview.objects.create(
        agency=agency, year=2023, sequence=1, meeting_date=D(2023, 11, 20), status="held"
    )
    AnnualReport.objects.create(
        agency=agency,
        year=2023,
        status="submitted",
        period_start=D(2022, 12, 15),
        period_end=D(2023, 12, 14),
        submitted_on=D(2023, 12, 8),
        number="45/BC-A",
    )
    return task
