"""Internal audit (ISO 9001 clause 9.2): the clauses of TCVN ISO 9001:2015 and the question
bank (per clause and per process, data an administrator keeps), the year's audit programme, the
audit plans with their team and schedule, the checklist copied from the bank and filled by the
auditors with evidence, the findings graded (a nonconformity opens its corrective-action record)
and the report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.audits.choices import Answer, AuditStatus, FindingGrade, ProgrammeStatus, TeamRole
from eiso.core.models import AgencyOwnedModel

USER = settings.AUTH_USER_MODEL


class IsoClause(models.Model):
    """A clause of TCVN ISO 9001:2015 (4.1 … 10.3) in the standard's Vietnamese wording."""

    code = models.CharField(_("clause"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=300)
    section = models.CharField(_("section"), max_length=4)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("clause of the standard")
        verbose_name_plural = _("clauses of the standard")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AuditQuestion(models.Model):
    """A question of the bank: for a clause, for every process or for one (``process``), with
    what evidence to look for. Copied into an audit's checklist, where it is edited."""

    clause = models.ForeignKey(
        IsoClause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="questions"
    )
    process = models.CharField(
        _("process"),
        max_length=200,
        blank=True,
        help_text=_("Empty: asked of every process."),
    )
    text = models.TextField(_("question"))
    guidance = models.TextField(_("evidence to look for"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("audit question")
        verbose_name_plural = _("question bank")
        ordering = ["clause__order", "process", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:120]


class AuditProgramme(AgencyOwnedModel):
    """The year's audit programme (chương trình đánh giá nội bộ): what is audited, how often
    and when, on the basis of risk and last results."""

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    objectives = models.TextField(_("objectives of the programme"), blank=True)
    basis = models.TextField(_("how the frequency was decided"), blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="audit_programme_once_a_year")
        ]

    def __str__(self) -> str:
        return str(_("Internal audit programme %(year)s") % {"year": self.year})


class ProgrammeItem(AgencyOwnedModel):
    """A line of the programme: a department or a process, when and how often, and why."""

    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="items")
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    process = models.CharField(_("processes and procedures"), max_length=300, blank=True)
    month = models.PositiveSmallIntegerField(_("month"))
    times = models.PositiveSmallIntegerField(_("times a year"), default=1)
    basis = models.CharField(_("basis (risk, last results)"), max_length=300, blank=True)
    number = models.PositiveSmallIntegerField(_("no."))

    class Meta:
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        ordering = ["programme", "number"]

    def __str__(self) -> str:
        return self.process or (self.department.name if self.department_id else "")


class InternalAudit(AgencyOwnedModel):
    """An audit: its plan (kế hoạch đánh giá: scope, criteria, team, schedule) approved by the
    head, its checklist and findings, and its report (báo cáo đánh giá nội bộ)."""

    programme = models.ForeignKey(
        AuditProgramme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveSmallIntegerField(_("round of the year"))
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("scope"))
    criteria = models.TextField(_("criteria"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.DRAFT
    )
    plan_number = models.CharField(_("plan number"), max_length=40, blank=True)
    plan_date = models.DateField(_("plan dated"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_number = models.CharField(_("report number"), max_length=40, blank=True)
    report_date = models.DateField(_("report dated"), null=True, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["-year", "agency", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="internal_audit_unique_round"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="internal_audit_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["agency", "year", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return str(_("Audit %(n)s/%(year)s") % {"n": self.sequence, "year": self.year})


class AuditTeamMember(AgencyOwnedModel):
    """An auditor of the team; ``warning`` keeps what was said when they were added (no valid
    internal-auditor certificate)."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        USER, verbose_name=_("auditor"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=8, choices=TeamRole.choices)
    warning = models.CharField(_("warning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit team member")
        verbose_name_plural = _("audit team")
        ordering = ["audit", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "user"], name="audit_team_member_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class AuditSession(AgencyOwnedModel):
    """A line of the plan's schedule: which department (and processes, clauses) is audited
    when, by which auditor — never one who works in that department."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="sessions")
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department audited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    process = models.CharField(_("processes and procedures"), max_length=300, blank=True)
    clauses = models.ManyToManyField(
        IsoClause, verbose_name=_("clauses"), blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    auditor = models.ForeignKey(
        USER, verbose_name=_("auditor"), on_delete=models.PROTECT, related_name="+"
    )
    auditee = models.CharField(_("received by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("audit session")
        verbose_name_plural = _("audit schedule")
        ordering = ["audit", "date", "start_time", "pk"]

    def __str__(self) -> str:
        where = self.department.name if self.department_id else self.process
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M} {where}"


class ChecklistItem(AgencyOwnedModel):
    """A question of the audit's checklist (copied from the bank, edited) and what the auditor
    found: the answer and the evidence notes; files in ``ChecklistFile``."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="checklist")
    session = models.ForeignKey(
        AuditSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
    )
    clause = models.ForeignKey(
        IsoClause,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("no."))
    question = models.TextField(_("question"))
    guidance = models.TextField(_("evidence to look for"), blank=True)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    note = models.TextField(_("evidence notes"), blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist")
        ordering = ["audit", "session", "number"]
        indexes = [models.Index(fields=["audit", "answer"])]

    def __str__(self) -> str:
        return self.question[:120]


class ChecklistFile(AgencyOwnedModel):
    """A file of evidence attached to a checklist question (a photo, a scan)."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="audits/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.name


class Finding(AgencyOwnedModel):
    """A finding of the audit, graded, tied to the clause, the department and the evidence; a
    nonconformity (major or minor) has its corrective-action record in ``nonconformity``; the
    others are answered with ``reply``."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    number = models.PositiveSmallIntegerField(_("no."))
    grade = models.CharField(_("grade"), max_length=12, choices=FindingGrade.choices)
    clause = models.ForeignKey(
        IsoClause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("finding"))
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("recorded on"))
    nonconformity = models.ForeignKey(
        "improvements.Nonconformity",
        verbose_name=_("corrective-action record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_on = models.DateField(_("replied on"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["audit", "number"]
        indexes = [models.Index(fields=["agency", "grade"])]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:100]}"

    @property
    def code(self) -> str:
        return f"PH-{self.number:02d}"

    @property
    def is_nonconformity(self) -> bool:
        return self.grade in (FindingGrade.MAJOR, FindingGrade.MINOR)
