"""Step "improvements": nonconformities found outside the internal audit — dossiers returned
late (process monitoring), an objective not met, one raised by a civil servant — each carried
to a stage of its life on the days it happened: some still open, some with a plan waiting for
approval, some approved and under way (a few with an action overdue, in the owner's and the
secretary's inbox), some waiting for the effectiveness check, most closed, one closed and
reopened. ``advance`` also carries the audits' nonconformities (audits.py).

Written through the improvements' services on the days it happened (``clock_at``), idempotent
(an agency whose records of the year from these sources exist is left alone)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from eiso.core.roles import Role
from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.demo.data import TEAM_AGENCIES
from eiso.improvements import services
from eiso.improvements.choices import NOT_CLOSED, NcStatus
from eiso.improvements.models import CorrectiveAction, Nonconformity

DAY = datetime.timedelta(days=1)

# How far a record is carried: the stages of its life, in order.
OPEN, PLANNED, APPROVED, IN_PROGRESS, OVERDUE, VERIFYING, CLOSED, REOPENED = (
    "open",
    "planned",
    "approved",
    "in_progress",
    "overdue",
    "verifying",
    "closed",
    "reopened",
)
ROTATION = (CLOSED, IN_PROGRESS, VERIFYING, OVERDUE, PLANNED, CLOSED, OPEN, APPROVED, CLOSED)
# The persona teams' agencies show every stage.
TEAM_TARGETS = (OVERDUE, VERIFYING, REOPENED)


@dataclass(frozen=True)
class Story:
    """What was done about a nonconformity: the correction, the five whys, the cause and the
    actions."""

    correction: str
    whys: tuple[str, ...]
    cause: str
    category: str
    actions: tuple[str, ...]


STORIES = (
    Story(
        "Gọi điện xin lỗi người dân, trả kết quả ngay trong ngày",
        (
            "Hồ sơ không được chuyển kịp cho người có thẩm quyền ký",
            "Lãnh đạo phòng đi công tác, không có người được ủy quyền ký thay",
            "Quy chế làm việc chưa quy định ủy quyền khi vắng mặt",
        ),
        "Quy chế làm việc chưa quy định việc ủy quyền ký khi lãnh đạo vắng mặt",
        "method",
        (
            "Bổ sung quy định ủy quyền ký vào quy chế làm việc",
            "Phổ biến quy chế sửa đổi đến các phòng",
        ),
    ),
    Story(
        "Thu hồi biểu mẫu cũ tại Bộ phận Một cửa, thay bằng biểu mẫu hiện hành",
        (
            "Biểu mẫu cũ vẫn được để tại quầy tiếp nhận",
            "Khi ban hành biểu mẫu mới không thu hồi bản giấy",
            "Quy trình kiểm soát tài liệu chưa phân công người thu hồi",
        ),
        "Quy trình QT-01 chưa phân công trách nhiệm thu hồi tài liệu hết hiệu lực",
        "documents",
        ("Sửa đổi QT-01: phân công Văn phòng thu hồi tài liệu hết hiệu lực",),
    ),
    Story(
        "Bổ sung ngay thông tin còn thiếu vào sổ theo dõi",
        (
            "Sổ theo dõi không ghi ngày trả kết quả",
            "Công chức mới chưa được hướng dẫn cách ghi sổ",
            "Chưa có kế hoạch hướng dẫn công chức mới về HTQLCL",
        ),
        "Công chức mới nhận việc chưa được hướng dẫn về các quy trình ISO",
        "people",
        (
            "Tổ chức hướng dẫn HTQLCL cho công chức mới",
            "Thư ký ISO kiểm tra sổ theo dõi hằng tháng",
        ),
    ),
    Story(
        "Liên hệ đơn vị cung cấp phần mềm khôi phục kết nối, tiếp nhận hồ sơ trực tiếp",
        (
            "Phần mềm một cửa mất kết nối hai ngày",
            "Đường truyền dự phòng chưa được thiết lập",
        ),
        "Chưa có phương án dự phòng khi hệ thống một cửa điện tử gián đoạn",
        "equipment",
        ("Lập phương án dự phòng tiếp nhận hồ sơ khi phần mềm gián đoạn",),
    ),
)
PROCESS_TITLES = (
    "Hồ sơ giải quyết trễ hạn chưa có phiếu xin lỗi",
    "Hồ sơ liên thông quá hạn do chậm lấy ý kiến cơ quan phối hợp",
)
STAFF_TITLES = (
    "Biểu mẫu cũ đã hết hiệu lực vẫn được sử dụng tại Bộ phận Một cửa",
    "Sổ giao nhận hồ sơ giữa Bộ phận Một cửa và phòng chuyên môn ghi không đầy đủ",
)
CHECKS = (
    "Kiểm tra ngẫu nhiên hồ sơ tháng sau: không còn trường hợp tương tự.",
    "Đã kiểm tra tại nơi làm việc: hành động khắc phục được duy trì, có hiệu lực.",
)


def story_of(key: str) -> Story:
    return STORIES[digest(key) % len(STORIES)]


def advance(
    nc: Nonconformity,
    *,
    target: str,
    today: datetime.date,
    secretary,
    head,
    verifier=None,
    key: str,
) -> int:
    """Carry ``nc`` towards ``target`` on the days it would have happened after it was raised,
    never past ``today``. Returns the number of corrective actions planned."""
    story = story_of(key)
    owner = nc.owner or secretary
    raised = nc.raised_on
    verifier = verifier if verifier is not None and verifier.pk != owner.pk else head
    if target == OPEN:
        return 0

    def on(day) -> bool:
        return day <= today

    day = raised + 3 * DAY
    if not on(day):
        return 0
    with clock_at(day):
        services.nonconformity_update(
            actor=owner,
            nonconformity=nc,
            data={
                "correction": story.correction,
                "correction_on": raised + DAY,
                "cause_category": story.category,
                "whys": list(story.whys),
                "root_cause": story.cause,
            },
        )
        actions = []
        for n, text in enumerate(story.actions):
            due = raised + (30 + 15 * n) * DAY
            if target == OVERDUE and n == len(story.actions) - 1:
                due = min(due, today - (3 + digest(key + "/late") % 10) * DAY)
                due = max(due, raised + 7 * DAY)
            actions.append(
                services.action_create(
                    actor=owner,
                    nonconformity=nc,
                    data={"action": text, "owner": owner, "due_date": due},
                )
            )
        if target in (OVERDUE, IN_PROGRESS) and len(actions) == 1:
            last_due = today - 5 * DAY if target == OVERDUE else today + 30 * DAY
            actions.append(
                services.action_create(
                    actor=owner,
                    nonconformity=nc,
                    data={
                        "action": "Kiểm tra việc thực hiện tại các phòng",
                        "owner": owner,
                        "due_date": max(raised + 7 * DAY, last_due),
                    },
                )
            )
        services.plan_submit(actor=owner, nonconformity=nc)
    if target == PLANNED or not on(raised + 5 * DAY):
        return len(actions)
    with clock_at(raised + 5 * DAY):
        services.plan_approve(actor=head, nonconformity=nc)
    if target == APPROVED:
        return len(actions)
    for n, action in enumerate(actions):
        done = raised + (12 + 6 * n) * DAY
        if target in (IN_PROGRESS, OVERDUE) and n == len(actions) - 1:
            break  # the last one is still to be done (overdue once its date passed)
        if not on(done):
            return len(actions)
        with clock_at(done, hour=15):
            services.action_complete(
                actor=owner,
                action=action,
                done_on=done,
                result="Đã thực hiện, có văn bản kèm theo",
            )
    if target in (IN_PROGRESS, OVERDUE, VERIFYING):
        return len(actions)
    check_day = raised + (20 + 6 * len(actions)) * DAY
    if not on(check_day):
        return len(actions)
    with clock_at(check_day):
        services.nonconformity_verify(
            actor=verifier,
            nonconformity=nc,
            effective=True,
            note=CHECKS[digest(key + "/check") % len(CHECKS)],
            checked_on=check_day,
        )
        services.nonconformity_close(actor=verifier, nonconformity=nc)
    reopen_day = check_day + 20 * DAY
    if target == REOPENED and on(reopen_day):
        with clock_at(reopen_day):
            services.nonconformity_reopen(
                actor=secretary,
                nonconformity=nc,
                reason="Tháng sau lại phát sinh trường hợp tương tự: cần tìm lại nguyên nhân.",
            )
    return len(actions)


def people_of(agencies) -> tuple[dict, dict]:
    """Per agency: its staff by department (user lists) and its internal auditors."""
    from eiso.accounts.models import Membership

    staff: dict = {}
    auditors: dict = {}
    for m in (
        Membership.objects.filter(agency__in=agencies, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        if m.role == Role.STAFF:
            staff.setdefault(m.agency_id, {}).setdefault(m.department_id, []).append(m.user)
        elif m.role == Role.AUDITOR:
            auditors.setdefault(m.agency_id, []).append((m.user, m.department_id))
    return staff, auditors


class ImprovementsBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.year = ctx.today.year
        self.raised = self.actions = 0
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.done = set(
            Nonconformity.objects.filter(
                agency__in=self.agencies,
                year=self.year,
                source__in=("process", "objective", "staff"),
            ).values_list("agency_id", flat=True)
        )
        self.staff, self.auditors = people_of(self.agencies)
        self.missed = self.objectives_missed()

    def objectives_missed(self) -> dict:
        from eiso.objectives.models import Measurement

        found: dict = {}
        for m in (
            Measurement.objects.filter(
                agency__in=self.agencies,
                met=False,
                objective__objective_set__year=self.year,
                period_end__lt=self.today,
            )
            .select_related("objective")
            .order_by("period_end", "pk")
        ):
            found.setdefault(m.agency_id, m)
        return found

    def build(self) -> None:
        for agency in self.agencies:
            if agency.pk in self.done:
                continue
            if keepers_appointed_on(agency) > datetime.date(self.year, 3, 1):
                continue
            self.agency(agency)

    def targets(self, agency) -> list[str]:
        if agency.code.upper() in TEAM_AGENCIES:
            return list(TEAM_TARGETS)
        start = digest(f"improvements/{agency.code}") % len(ROTATION)
        return [ROTATION[(start + n) % len(ROTATION)] for n in range(3)]

    def owner_of(self, agency, n: int):
        people = [u for users in self.staff.get(agency.pk, {}).values() for u in users]
        if people and n % 2 == 0:
            return people[digest(f"improvements/{agency.code}/{n}") % len(people)]
        return None

    def agency(self, agency) -> None:
        keepers = self.ctx.keepers[agency.code.upper()]
        secretary, head = keepers.secretary, keepers.head
        auditors = self.auditors.get(agency.pk, [])
        verifier = auditors[0][0] if auditors else None
        targets = self.targets(agency)
        sources = [
            ("process", PROCESS_TITLES[digest(f"imp/{agency.code}/p") % len(PROCESS_TITLES)]),
            ("objective", None),
            ("staff", STAFF_TITLES[digest(f"imp/{agency.code}/s") % len(STAFF_TITLES)]),
        ]
        months = (4, 7, 10)
        for n, ((source, title), target) in enumerate(zip(sources, targets, strict=True)):
            key = f"improvements/{agency.code}/{self.year}/{n}"
            raised = working_day_between(
                key,
                datetime.date(self.year, months[n], 1),
                datetime.date(self.year, months[n], 25),
            )
            if target in (OPEN, PLANNED):
                raised = max(raised, self.today - (20 + digest(key) % 15) * DAY)
            if raised > self.today or raised.year != self.year:
                continue
            reference = ""
            description = ""
            if source == "objective":
                missed = self.missed.get(agency.pk)
                if missed is None:
                    source, title = "staff", STAFF_TITLES[(n + 1) % len(STAFF_TITLES)]
                else:
                    o = missed.objective
                    title = f"Mục tiêu chất lượng không đạt: {o.statement}"[:300]
                    reference = f"{self.year} — {o.number}. {o.statement}"[:300]
                    description = (
                        f"Kết quả đo lường kỳ đến {missed.period_end:%d/%m/%Y} là "
                        f"{missed.value_text} {o.unit}, chưa đạt chỉ tiêu {o.target_text}."
                    )
                    raised = max(raised, missed.period_end + 5 * DAY)
                    if raised > self.today:
                        continue
            if source == "process":
                reference = f"Báo cáo tình hình giải quyết hồ sơ tháng {raised.month - 1 or 12}"
                description = (
                    "Theo dõi trên Hệ thống thông tin giải quyết TTHC, một số hồ sơ trả kết quả "
                    "quá hạn nhưng chưa gửi phiếu xin lỗi và hẹn lại ngày trả kết quả."
                )
            if not description:
                description = f"{title}. Phát hiện trong quá trình làm việc hằng ngày."
            owner = self.owner_of(agency, n)
            raiser = owner or secretary
            with clock_at(raised):
                nc = services.nonconformity_raise(
                    actor=raiser,
                    agency=agency,
                    source=source,
                    source_ref=reference,
                    title=title,
                    description=description,
                    owner=owner or secretary,
                    due_date=raised + 60 * DAY,
                )
            self.raised += 1
            self.actions += advance(
                nc,
                target=target,
                today=self.today,
                secretary=secretary,
                head=head,
                verifier=verifier,
                key=key,
            )


def totals(today: datetime.date) -> dict[str, int]:
    counts = Nonconformity.objects.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=NOT_CLOSED)),
        closed=Count("pk", filter=Q(status=NcStatus.CLOSED)),
    )
    counts["overdue"] = CorrectiveAction.objects.filter(
        done_on__isnull=True, due_date__lt=today
    ).count()
    return counts


def build(ctx: DemoContext) -> StepReport:
    """Step "improvements"."""
    builder = ImprovementsBuilder(ctx)
    builder.build()
    added = ""
    if builder.raised:
        added = _(
            "Nonconformities: raised %(raised)d from process monitoring, objectives and staff, "
            "with %(actions)d corrective actions."
        ) % {"raised": builder.raised, "actions": builder.actions}
    summary = _(
        "Nonconformities: %(total)d, %(open)d not closed (%(overdue)d corrective actions "
        "overdue), %(closed)d closed."
    ) % totals(ctx.today)
    return StepReport(added=added, totals=summary)
