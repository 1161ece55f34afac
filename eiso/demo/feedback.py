"""Step "feedback": what people see of the demo agencies and what they say of their service.

- **The public portal**: every agency that keeps a QMS publishes its latest signed announcement
  (with the signed decision where the demo has its scan), most of the procedures whose ISO
  procedure is in force, with their forms, and its quality policy — a few agencies have not
  got round to it, as in real life.
- **Desks**: the one-stop desks of the agencies that handle procedures, each with its QR code.
- **A year of ratings**: every month, people rate the service on the form the QR code leads to
  (more at the departments and wards with persona teams); each agency has its own level of
  satisfaction (most between 90 and 98 %, a few lower), comments that read like real ones,
  the procedure and dossier often given.
- **Complaints and petitions**: a few dozen over the year, from the desk, the hotline, the
  e-mail box, the national portal and this portal; most answered on time and closed, some
  late, one declined, a couple still open past their due date (they wait in the keepers'
  inbox), one that revealed a nonconformity.

Written through the services on the days it happened (``clock_at``); idempotent (an agency
that has ratings, complaints or desks keeps them; what is published stays published)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document, Revision
from eiso.feedback import deadlines, services
from eiso.feedback.models import Complaint, Desk, Rating
from eiso.portal import services as portal
from eiso.portal.models import Publication
from eiso.procedures.models import HandledProcedure, IsoProcedure
from eiso.qms import services as qms
from eiso.qms.choices import SIGNED_STATUSES
from eiso.qms.models import Announcement

DAY = datetime.timedelta(days=1)

POSITIVE = (
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Nhận kết quả đúng hẹn, không phải đi lại nhiều lần.",
    "Thủ tục nhanh gọn, thái độ phục vụ tốt.",
    "Bộ phận một cửa sạch sẽ, có chỗ ngồi chờ.",
    "Được hướng dẫn nộp hồ sơ trực tuyến, rất tiện.",
    "Công chức niềm nở, giải thích rõ các giấy tờ cần chuẩn bị.",
    "Trả kết quả sớm hơn ngày hẹn.",
)
NEGATIVE = (
    "Phải chờ lâu mới đến lượt, nên bố trí thêm quầy vào buổi sáng.",
    "Hướng dẫn chưa rõ, phải bổ sung hồ sơ hai lần.",
    "Kết quả trả trễ so với giấy hẹn, không được thông báo trước.",
    "Không có bảng niêm yết mẫu tờ khai, khó tự điền.",
    "Máy lấy số thứ tự bị hỏng.",
)


@dataclass(frozen=True)
class ComplaintPlan:
    kind: str
    channel: str
    subject: str
    content: str
    answer: str
    outcome: str


COMPLAINTS = (
    ComplaintPlan(
        "complaint",
        "desk",
        "Trả kết quả chậm so với giấy hẹn",
        "Tôi nộp hồ sơ và được hẹn trả kết quả sau 5 ngày làm việc nhưng đến nay đã quá hạn "
        "3 ngày vẫn chưa nhận được kết quả, cũng không được thông báo lý do.",
        "Qua kiểm tra, hồ sơ của ông/bà chậm do phòng chuyên môn chưa chuyển kịp. Cơ quan xin "
        "lỗi ông/bà; kết quả đã được trả và công chức liên quan đã được nhắc nhở.",
        "justified",
    ),
    ComplaintPlan(
        "complaint",
        "hotline",
        "Thái độ công chức tiếp nhận hồ sơ",
        "Công chức tại quầy trả lời cộc lốc, không hướng dẫn cụ thể các giấy tờ cần bổ sung.",
        "Cơ quan đã làm việc với công chức được phản ánh, yêu cầu rút kinh nghiệm và tổ chức "
        "tập huấn kỹ năng giao tiếp cho toàn bộ công chức Bộ phận Một cửa.",
        "partly",
    ),
    ComplaintPlan(
        "petition",
        "email",
        "Đề nghị niêm yết mẫu tờ khai điền sẵn",
        "Đề nghị cơ quan niêm yết mẫu tờ khai đã điền sẵn để người dân tham khảo khi tự khai.",
        "Cảm ơn ý kiến của ông/bà. Cơ quan đã niêm yết mẫu tờ khai điền sẵn tại Bộ phận Một "
        "cửa và đăng trên Cổng thông tin công khai.",
        "justified",
    ),
    ComplaintPlan(
        "complaint",
        "national_portal",
        "Hồ sơ nộp trực tuyến bị trả lại không rõ lý do",
        "Hồ sơ nộp qua Cổng Dịch vụ công quốc gia bị trả lại nhưng phần lý do để trống.",
        "Hồ sơ bị trả lại do thiếu bản chụp giấy tờ tùy thân. Cơ quan đã bổ sung yêu cầu ghi rõ "
        "lý do khi trả hồ sơ trực tuyến và hướng dẫn ông/bà nộp lại.",
        "partly",
    ),
    ComplaintPlan(
        "petition",
        "public_portal",
        "Đề nghị bố trí thêm quầy vào buổi sáng thứ Hai",
        "Sáng thứ Hai người dân đến rất đông, phải chờ hơn một giờ. Đề nghị bố trí thêm quầy.",
        "Cơ quan tiếp thu ý kiến, từ tháng sau bố trí thêm một công chức tiếp nhận vào buổi "
        "sáng thứ Hai và thứ Ba.",
        "justified",
    ),
    ComplaintPlan(
        "complaint",
        "letter",
        "Phản ánh về mức lệ phí",
        "Tôi cho rằng mức lệ phí thu khi làm thủ tục cao hơn quy định.",
        "Mức lệ phí đã thu đúng theo Nghị quyết của HĐND tỉnh; cơ quan gửi kèm trích dẫn quy "
        "định để ông/bà tham khảo.",
        "not_justified",
    ),
    ComplaintPlan(
        "complaint",
        "public_portal",
        "Yêu cầu nộp thêm giấy tờ không có trong thủ tục",
        "Công chức yêu cầu nộp thêm bản sao sổ hộ khẩu, trong khi thủ tục công bố không có.",
        "",
        "",
    ),
    ComplaintPlan(
        "petition",
        "desk",
        "Đề nghị cấp bản sao giấy tờ ngay trong ngày",
        "Đề nghị cơ quan giải quyết việc cấp bản sao trong ngày cho người cao tuổi.",
        "",
        "",
    ),
)
CONTACTS = (
    ("Nguyễn Văn Hòa", "0913 245 678", ""),
    ("Trần Thị Lan", "", "tranthilan@phuan.example"),
    ("", "0987 112 233", ""),
)


class FeedbackBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.start = (self.today.replace(day=1) - datetime.timedelta(days=334)).replace(day=1)
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.handled: dict[int, list] = defaultdict(list)
        for row in (
            HandledProcedure.objects.filter(agency__in=self.agencies, is_active=True)
            .select_related("procedure")
            .order_by("procedure__code")
        ):
            self.handled[row.agency_id].append(row)
        self.rated = set(
            Rating.objects.filter(agency__in=self.agencies).values_list("agency_id", flat=True)
        )
        self.complained = set(
            Complaint.objects.filter(agency__in=self.agencies).values_list("agency_id", flat=True)
        )
        self.published = self.desks = self.ratings = self.complaints = 0
        self.nonconformities = 0

    def team(self, agency) -> bool:
        from eiso.demo.data import TEAM_AGENCIES

        return agency.code.upper() in TEAM_AGENCIES

    def build(self) -> None:
        for agency in self.agencies:
            keepers = self.ctx.keepers[agency.code.upper()]
            self.publish(agency, keepers)
            desks = self.make_desks(agency, keepers)
            if agency.pk not in self.rated and self.handled.get(agency.pk):
                self.rate(agency, desks)
            if agency.pk not in self.complained and self.handled.get(agency.pk):
                self.complain(agency, keepers)

    # --- the public portal --------------------------------------------------------------------

    def publish(self, agency, keepers) -> None:
        # Most agencies publish; one in eight has not got round to it yet.
        if not self.team(agency) and digest(f"feedback/publish/{agency.code}") % 8 == 0:
            return
        actor = keepers.secretary
        with clock_at(self.today - 14 * DAY, hour=16):
            latest = (
                Announcement.objects.filter(agency=agency, status__in=SIGNED_STATUSES)
                .order_by("-date", "-id")
                .first()
            )
            if latest is not None and not latest.is_published:
                qms.announcement_publish(actor=actor, announcement=latest, published=True)
                self.published += 1
            in_force = Revision.objects.in_force(on=self.today)
            links = IsoProcedure.objects.filter(agency=agency).filter(
                Exists(in_force.filter(document=OuterRef("document")))
            )
            linked = {link.procedure_id: link.document for link in links.select_related("document")}
            for row in self.handled.get(agency.pk, []):
                document = linked.get(row.procedure_id)
                if document is None:
                    continue
                if digest(f"feedback/tthc/{agency.code}/{row.procedure.code}") % 10 == 0:
                    continue  # not yet
                if portal.procedure_publish(actor=actor, handled=row):
                    self.published += 1
                forms = Document.objects.filter(pk__in=document.forms.values("pk")).filter(
                    Exists(in_force.filter(document=OuterRef("pk")))
                )
                for form in forms:
                    if portal.document_publish(actor=actor, document=form):
                        self.published += 1
            for policy in Document.objects.filter(
                agency=agency, kind=DocumentKind.QUALITY_POLICY
            ).filter(Exists(in_force.filter(document=OuterRef("pk")))):
                if portal.document_publish(actor=actor, document=policy):
                    self.published += 1

    # --- desks ---------------------------------------------------------------------------------

    def make_desks(self, agency, keepers) -> list[Desk]:
        existing = list(Desk.objects.filter(agency=agency, is_active=True).order_by("name"))
        handled = self.handled.get(agency.pk, [])
        if existing or not handled:
            return existing
        count = 3 if self.team(agency) else 1 + digest(f"feedback/desks/{agency.code}") % 2
        fields = sorted({h.procedure.field for h in handled if h.procedure.field})
        desks = []
        with clock_at(self.start - 5 * DAY, hour=9):
            for number in range(1, count + 1):
                field = fields[(number - 1) % len(fields)] if fields else ""
                name = f"Quầy số {number}" + (f" – {field}" if field else "")
                procedure = next((h.procedure for h in handled if h.procedure.field == field), None)
                desks.append(
                    services.desk_create(
                        actor=keepers.secretary,
                        agency=agency,
                        data={"name": name[:200], "procedure": procedure},
                    )
                )
        self.desks += len(desks)
        return desks

    # --- ratings -------------------------------------------------------------------------------

    def level(self, agency) -> float:
        """The share of satisfied ratings this agency tends to get."""
        if self.team(agency):
            return 0.9 + (digest(f"feedback/level/{agency.code}") % 7) / 100  # 90–96 %
        if digest(f"feedback/level/{agency.code}/low") % 9 == 0:
            return 0.78 + (digest(f"feedback/level/{agency.code}") % 8) / 100  # 78–85 %
        return 0.9 + (digest(f"feedback/level/{agency.code}") % 9) / 100  # 90–98 %

    def rate(self, agency, desks) -> None:
        rng = self.ctx.rng(f"feedback/ratings/{agency.code}")
        level = self.level(agency)
        procedures = [h.procedure for h in self.handled[agency.pk]]
        per_month = 18 if self.team(agency) else 4 + digest(f"feedback/n/{agency.code}") % 6
        month = self.start
        while month <= self.today:
            last = (month.replace(day=28) + 4 * DAY).replace(day=1) - DAY
            days: dict[datetime.date, list] = defaultdict(list)
            for i in range(per_month + rng.randint(-2, 3)):
                day = working_day_between(
                    f"feedback/{agency.code}/{month}/{i}", month, min(last, self.today)
                )
                if agency.active_from and day < agency.active_from:
                    continue
                days[day].append(i)
            for day in sorted(days):
                if day > self.today:
                    continue
                with clock_at(day, hour=rng.choice((8, 9, 10, 14, 15))):
                    for _i in days[day]:
                        self.one_rating(agency, day, rng, level, procedures, desks)
            month = last + DAY

    def one_rating(self, agency, day, rng, level, procedures, desks) -> None:
        satisfied = rng.random() < level
        criteria = ("attitude", "timeliness", "guidance", "result")
        if satisfied:
            scores = {c: rng.choice((4, 4, 5, 5, 5)) for c in criteria}
        else:
            scores = {c: rng.choice((2, 3, 3, 4)) for c in criteria}
            scores[rng.choice(criteria)] = rng.choice((1, 2))
        if rng.random() < 0.25:
            scores["result"] = None  # rated before the result was given
        desk = rng.choice(desks) if desks and rng.random() < 0.6 else None
        procedure = None
        if desk is not None and desk.procedure_id and rng.random() < 0.7:
            procedure = desk.procedure
        elif procedures and rng.random() < 0.6:
            procedure = rng.choice(procedures)
        comment = ""
        if rng.random() < 0.22:
            comment = rng.choice(POSITIVE if services.average(scores) >= 4 else NEGATIVE)
        dossier = ""
        if procedure is not None and rng.random() < 0.3:
            dossier = f"000.00.{agency.pk % 100:02d}.H47-{day:%y%m%d}-{rng.randint(1, 999):04d}"
        services.rating_submit(
            agency=agency,
            scores=scores,
            procedure=procedure,
            desk=desk,
            dossier_code=dossier,
            comment=comment,
            on=day,
        )
        self.ratings += 1

    # --- complaints ------------------------------------------------------------------------------

    def staff_of(self, agency):
        slug = {"STP": "stp", "SYT": "syt"}.get(agency.code.upper())
        if slug is None:
            from eiso.demo.data import DEMO_USERS

            for user in DEMO_USERS:
                if user.username.startswith("canbo.") and any(
                    r.agency == agency.code.upper() for r in user.roles
                ):
                    slug = user.username.split(".", 1)[1]
        return self.ctx.users.get(f"canbo.{slug}") if slug else None

    def complain(self, agency, keepers) -> None:
        count = 6 if self.team(agency) else digest(f"feedback/complaints/{agency.code}") % 3
        if not count:
            return
        offset = digest(f"feedback/complaints/{agency.code}/first") % len(COMPLAINTS)
        plans = [COMPLAINTS[(offset + i) % len(COMPLAINTS)] for i in range(count)]
        staff = self.staff_of(agency)
        procedures = [h.procedure for h in self.handled[agency.pk]]
        raised = False  # the first justified complaint of a persona team opens a nonconformity
        for index, plan in enumerate(plans):
            open_now = not plan.answer
            if open_now:
                # the open ones came in lately: one is past its due date, one is not yet due
                back = 25 if index % 2 == 0 else 3
                received = working_day_between(
                    f"feedback/c/{agency.code}/{index}",
                    self.today - (back + 3) * DAY,
                    self.today - back * DAY,
                )
            else:
                span_end = self.today - 45 * DAY
                received = working_day_between(
                    f"feedback/c/{agency.code}/{index}", self.start, span_end
                )
            if agency.active_from and received < agency.active_from:
                continue
            procedure = procedures[index % len(procedures)] if procedures else None
            contact = CONTACTS[index % len(CONTACTS)]
            data = {
                "kind": plan.kind,
                "subject": plan.subject,
                "content": plan.content,
                "procedure": procedure,
                "contact_name": contact[0],
                "contact_phone": contact[1],
                "contact_email": contact[2],
            }
            with clock_at(received, hour=9):
                if plan.channel == "public_portal":
                    complaint = services.complaint_submit(agency=agency, data=data)
                else:
                    complaint = services.complaint_register(
                        actor=staff or keepers.secretary,
                        agency=agency,
                        data={**data, "channel": plan.channel, "received_on": received},
                    )
            self.complaints += 1
            handler = staff or keepers.secretary
            if staff is not None:
                with clock_at(received + DAY, hour=8):
                    services.complaint_assign(
                        actor=keepers.secretary, complaint=complaint, handler=staff
                    )
            if open_now:
                continue
            due = deadlines.due_for(complaint.channel, complaint.received_on).date
            late = digest(f"feedback/late/{agency.code}/{index}") % 6 == 0
            answered_on = due + 4 * DAY if late else max(received + DAY, due - 3 * DAY)
            answered_on = min(answered_on, self.today)
            if plan.outcome == "not_justified" and index % 3 == 2:
                with clock_at(received + 2 * DAY, hour=15):
                    services.complaint_decline(
                        actor=keepers.secretary,
                        complaint=complaint,
                        reason="Nội dung phản ánh không thuộc thẩm quyền giải quyết của cơ quan; "
                        "đề nghị ông/bà liên hệ Sở Tài chính.",
                    )
                continue
            with clock_at(answered_on, hour=14):
                services.complaint_answer(
                    actor=handler, complaint=complaint, answer=plan.answer, outcome=plan.outcome
                )
            if (
                plan.outcome == "justified"
                and self.team(agency)
                and not raised
                and services.nonconformities_available()
            ):
                raised = True
                with clock_at(answered_on, hour=15):
                    services.complaint_raise_nonconformity(
                        actor=keepers.secretary, complaint=complaint
                    )
                self.nonconformities += 1
            closed_on = answered_on + 7 * DAY
            if closed_on <= self.today:
                with clock_at(closed_on, hour=9):
                    services.complaint_close(actor=keepers.secretary, complaint=complaint)


def feedback_totals() -> dict:
    satisfied = Rating.objects.filter(satisfied=True).count()
    ratings = Rating.objects.count()
    return {
        "ratings": ratings,
        "share": round(100 * satisfied / ratings, 1) if ratings else 0,
        "complaints": Complaint.objects.count(),
        "open": Complaint.objects.filter(status__in=("received", "handling")).count(),
        "desks": Desk.objects.count(),
        "procedures": Publication.objects.filter(kind="procedure").count(),
        "documents": Publication.objects.filter(kind="document").count(),
        "announcements": Announcement.objects.filter(is_published=True).count(),
        "agencies": Rating.objects.order_by().values("agency").annotate(n=Count("pk")).count(),
    }


def build(ctx: DemoContext) -> StepReport:
    """Step "feedback"."""
    builder = FeedbackBuilder(ctx)
    builder.build()
    added = ""
    if builder.ratings or builder.complaints or builder.published or builder.desks:
        added = _(
            "Citizens: %(published)d things published on the public portal, %(desks)d desks, "
            "%(ratings)d ratings, %(complaints)d complaints and petitions (%(ncs)d opened a "
            "nonconformity)."
        ) % {
            "published": builder.published,
            "desks": builder.desks,
            "ratings": builder.ratings,
            "complaints": builder.complaints,
            "ncs": builder.nonconformities,
        }
    totals = (
        _(
            "Citizens: %(announcements)d announcements, %(procedures)d procedures and "
            "%(documents)d forms and documents public; %(desks)d desks; %(ratings)d ratings of "
            "%(agencies)d agencies, %(share)s %% satisfied; %(complaints)d complaints and "
            "petitions, %(open)d waiting for an answer."
        )
        % feedback_totals()
    )
    return StepReport(added=added, totals=totals)
