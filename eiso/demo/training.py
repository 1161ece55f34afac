"""Step "training": each persona team's training and competence — the ISO 9001:2015
awareness course for the whole agency, the internal-auditor course whose passers get a
three-year certificate, the 2008 → 2015 transition course of 2018 — with sessions, attendance,
evidence and certificates: the internal auditor's valid, the secretary's from 2021 expired, one
expiring within 60 days (it waits in the keepers' inbox), and the certificate of the civil
servant of the Sở Tư pháp seconded to An Phú, which the commune sees too (a certificate follows
the person). Through the training services, on the days it happened; idempotent (a team whose
agency has courses is left alone)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from eiso.demo.context import DemoContext, StepReport, clock_at
from eiso.training import services
from eiso.training.models import Certificate, Course, TrainingSession

TEAMS = {"STP": "stp", "SYT": "syt", "PHUONG-THANH-MY": "thanhmy", "XA-AN-PHU": "anphu"}
ISSUER = "Trung tâm Đào tạo, Chi cục Tiêu chuẩn Đo lường Chất lượng tỉnh Phú An"
EVIDENCE = b"%PDF-1.4\n% Danh sach diem danh va bien ban ket thuc khoa dao tao (demo)\n%%EOF\n"


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EVIDENCE, content_type="application/pdf")


def _last_working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


class TrainingBuilder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.courses = self.sessions = self.certificates = 0

    def people(self, slug: str):
        users = self.ctx.users
        return [
            users.get(f"{prefix}.{slug}")
            for prefix in ("thuky", "thutruong", "canbo", "dgnb")
            if users.get(f"{prefix}.{slug}") is not None
        ]

    def build(self) -> None:
        for code, slug in TEAMS.items():
            agency = self.ctx.agency(code)
            keepers = self.ctx.keepers.get(code)
            if agency is None or keepers is None or Course.objects.filter(agency=agency).exists():
                continue
            self.team(agency, keepers.secretary, slug)

    def session(self, secretary, course, day, *, trainer, passed, attended, evidence=True):
        with clock_at(day, hour=16):
            session = services.session_create(
                actor=secretary,
                course=course,
                data={"starts_on": day, "ends_on": day, "trainer": trainer, "place": "Hội trường"},
                evidence=_evidence(f"diem-danh-{day:%Y%m%d}.pdf") if evidence else None,
            )
            services.attendance_record(
                actor=secretary,
                session=session,
                rows=[
                    {"person": p, "attended": True, "passed": p in passed or None} for p in attended
                ],
            )
        self.sessions += 1
        return session

    def team(self, agency, secretary, slug: str) -> None:
        people = self.people(slug)
        if not people:
            return
        auditor = self.ctx.users.get(f"dgnb.{slug}")
        staff = self.ctx.users.get(f"canbo.{slug}")
        first = max(agency.active_from or datetime.date(2018, 10, 1), datetime.date(2018, 10, 1))
        with clock_at(first):
            awareness = services.course_create(
                actor=secretary,
                agency=agency,
                data={
                    "title": "Nhận thức chung về TCVN ISO 9001:2015 và HTQLCL của cơ quan",
                    "kind": "awareness",
                    "hours": 8,
                    "certificate_kind": "",
                },
            )
            auditing = services.course_create(
                actor=secretary,
                agency=agency,
                data={
                    "title": "Đào tạo chuyên gia đánh giá nội bộ theo TCVN ISO 9001:2015",
                    "kind": "internal_auditor",
                    "hours": 24,
                    "certificate_kind": "internal_auditor",
                },
            )
        self.courses += 2
        # The awareness course for everyone, every year since the agency started.
        for year in range(max(first.year, self.today.year - 2), self.today.year + 1):
            day = _last_working_day(datetime.date(year, 3, 20))
            if first <= day <= self.today:
                self.session(
                    secretary, awareness, day, trainer="Thư ký ISO", passed=[], attended=people
                )
        # The secretary's internal-auditor certificate of 2021 has expired (three years).
        old = _last_working_day(datetime.date(2021, 5, 14))
        if first <= old:
            session = self.session(
                secretary,
                auditing,
                old,
                trainer="ThS. Nguyễn Văn Phúc, chuyên gia đánh giá",
                passed=[secretary],
                attended=[secretary],
            )
            with clock_at(old, hour=17):
                self.certificates += len(
                    services.certificates_for_session(
                        actor=secretary, session=session, issuer=ISSUER, years=3
                    )
                )
        # This year's course: the internal auditor passes; in one team a certificate from
        # three years ago is about to expire (the keepers' inbox).
        day = _last_working_day(
            min(self.today - datetime.timedelta(days=45), datetime.date(self.today.year, 4, 10))
        )
        attendees = [p for p in (auditor, staff) if p is not None]
        if attendees and first <= day:
            session = self.session(
                secretary,
                auditing,
                day,
                trainer="ThS. Nguyễn Văn Phúc, chuyên gia đánh giá",
                passed=[auditor] if auditor else [],
                attended=attendees,
            )
            with clock_at(day, hour=17):
                self.certificates += len(
                    services.certificates_for_session(
                        actor=secretary, session=session, issuer=ISSUER, years=3
                    )
                )
        if slug == "stp" and staff is not None:
            issued = self.today - datetime.timedelta(days=3 * 365 - 40)
            with clock_at(self.today):
                services.certificate_create(
                    actor=secretary,
                    agency=agency,
                    holder=staff,
                    data={
                        "kind": "awareness",
                        "number": "ISO-2023-118",
                        "issuer": ISSUER,
                        "issued_on": issued,
                        "expires_on": issued.replace(year=issued.year + 3)
                        if not (issued.month == 2 and issued.day == 29)
                        else issued.replace(year=issued.year + 3, day=28),
                        "note": "Chứng nhận hoàn thành khóa nhận thức ISO 9001:2015",
                    },
                )
            self.certificates += 1


def training_totals(today: datetime.date) -> dict:
    return {
        "courses": Course.objects.count(),
        "sessions": TrainingSession.objects.count(),
        "certificates": Certificate.objects.count(),
        "expired": Certificate.objects.filter(expires_on__lt=today).count(),
    }


def build(ctx: DemoContext) -> StepReport:
    """Step "training"."""
    builder = TrainingBuilder(ctx)
    builder.build()
    added = ""
    if builder.courses:
        added = _(
            "Training: %(courses)d courses, %(sessions)d sessions with their attendance, "
            "%(certificates)d certificates."
        ) % {
            "courses": builder.courses,
            "sessions": builder.sessions,
            "certificates": builder.certificates,
        }
    totals = _(
        "Training: %(courses)d courses, %(sessions)d sessions, %(certificates)d certificates "
        "(%(expired)d expired)."
    ) % training_totals(ctx.today)
    return StepReport(added=added, totals=totals)
