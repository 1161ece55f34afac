"""Document control (ISO 7.5): documents, their revisions, issuing decisions, distribution,
the master-list reviews, external documents and legal texts, and revision tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.scoping import AgencyScopedQuerySet
from eiso.documents.choices import (
    OPEN_STATUSES,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    ExternalKind,
    RevisionAction,
    RevisionStatus,
    TaskReason,
    TaskStatus,
    Validity,
)
from eiso.documents.querysets import (
    DocumentQuerySet,
    ExternalDocumentQuerySet,
    IssuingDecisionQuerySet,
    RevisionQuerySet,
)

USER = settings.AUTH_USER_MODEL


class DocumentControlPolicy(models.Model):
    """The legal parameters of document control, as data with their basis. The newest row
    whose ``effective_from`` has come is in force."""

    effective_from = models.DateField(_("effective from"))
    revision_window_months = models.PositiveSmallIntegerField(
        _("months to revise procedures after a legal change"), default=3
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document control policy")
        verbose_name_plural = _("document control policies")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y}: {self.revision_window_months}"


class DocumentTemplate(models.Model):
    """A framework-model document (mô hình khung) an agency can adopt in one step."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    content = models.TextField(_("content"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ExternalDocument(AgencyOwnedModel):
    """An external document or legal text. ``is_shared`` rows belong to the province's
    catalogue (kept by its admins/overseers) and are visible to every agency below."""

    is_shared = models.BooleanField(_("shared with the agencies below"), default=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ExternalKind.choices, default=ExternalKind.LEGAL
    )
    number = models.CharField(_("number / symbol"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = ExternalDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("external document")
        verbose_name_plural = _("external documents")
        ordering = ["-effective_date", "number"]
        indexes = [models.Index(fields=["-effective_date", "id"], name="external_list_order")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="external_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Document(AgencyOwnedModel):
    """A controlled document of an agency's QMS, identified by its code in the agency."""

    code = models.CharField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("owning department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    references = models.ManyToManyField(
        "self", verbose_name=_("refers to"), symmetrical=False, blank=True, related_name="+"
    )
    forms = models.ManyToManyField(
        "self", verbose_name=_("forms"), symmetrical=False, blank=True, related_name="used_in"
    )
    legal_bases = models.ManyToManyField(
        ExternalDocument,
        verbose_name=_("legal basis"),
        blank=True,
        related_name="documents",
        through="LegalBasis",
    )
    distribution = models.ManyToManyField(
        "organizations.Department",
        verbose_name=_("distributed to"),
        blank=True,
        related_name="+",
        help_text=_("Departments whose people must read it; empty: the whole agency."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ACTIVE
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    search_text = models.TextField(editable=False, default="")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="document_unique_code")
        ]
        indexes = [models.Index(fields=["code", "agency", "id"], name="document_list_order")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def kind_label(self) -> str:
        """``get_kind_display()`` for lists: Django's builds a dict of every kind, each label
        translated, on every call (18 translations a row of the master list)."""
        try:
            return str(DocumentKind(self.kind).label)
        except ValueError:
            return self.kind

    def _live(self) -> tuple[list[Revision], object]:
        """The issued revisions not expired on the day the queryset was read for
        (``with_revisions_in_force``), or today's, read now — each told its validity that
        day, as ``RevisionQuerySet.with_validity`` would."""
        live = getattr(self, "live_revisions", None)
        if live is None:
            from django.utils import timezone

            day = timezone.localdate()
            live = list(Revision.objects.live(on=day).filter(document=self).order_by("number"))
            self.live_revisions, self.validity_on = live, day
        day = self.validity_on
        for index, revision in enumerate(live):
            following = live[index + 1] if index + 1 < len(live) else None
            revision.next_effective = following.effective_date if following else None
            revision.validity = (
                Validity.PENDING if revision.effective_date > day else Validity.IN_FORCE
            )
        return live, day

    @property
    def in_force(self) -> Revision | None:
        """The revision in force (on the day of ``with_revisions_in_force``, else today)."""
        live, day = self._live()
        return next((r for r in reversed(live) if r.effective_date <= day), None)

    @property
    def upcoming(self) -> Revision | None:
        """An issued revision that takes effect later (the one in force stays until then)."""
        live, day = self._live()
        return next((r for r in live if r.effective_date > day), None)


class LegalBasis(models.Model):
    """A document resting on a legal text (``Document.legal_bases``). ``agency`` is the
    document's, copied when the link is made (documents never change agency), so that how many
    documents of a subtree cite a text is read from this table's index alone: a national text
    is cited across the country, and joining every citation to its document to find whose it
    is grew with the country, not with the person's province."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE)
    externaldocument = models.ForeignKey(  # indexed first in legal_basis_citing
        ExternalDocument, on_delete=models.CASCADE, db_index=False
    )
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        db_table = "documents_document_legal_bases"
        unique_together = [("document", "externaldocument")]
        indexes = [models.Index(fields=["externaldocument", "agency"], name="legal_basis_citing")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.externaldocument_id}"


class IssuingDecision(AgencyOwnedModel):
    """A decision (quyết định ban hành) that issues, amends or replaces revisions."""

    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    signer_name = models.CharField(_("signer"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    signed_file = models.FileField(_("signed scan"), upload_to="decisions/%Y/", blank=True)
    signed_file_name = models.CharField(_("signed scan file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    objects = IssuingDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("issuing decision")
        verbose_name_plural = _("issuing decisions")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["agency", "number"]),
            models.Index(fields=["-date", "-created_at"], name="decision_list_order"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft decision"))


class Revision(AgencyOwnedModel):
    """One revision (lần ban hành) of a document. Issued revisions are immutable."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision number"))
    status = models.CharField(
        _("status"), max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    change_summary = models.TextField(_("change summary"), blank=True)
    content = models.TextField(_("content"), blank=True)
    drafted_by = models.ForeignKey(
        USER, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        IssuingDecision,
        verbose_name=_("issuing decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    return_comment = models.TextField(_("comment when returned"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_unique_number"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=OPEN_STATUSES),
                name="revision_one_open_per_document",
            ),
            # Validity is computed from this date: an issued revision always has one.
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.ISSUED) | Q(effective_date__isnull=False),
                name="revision_issued_has_effective_date",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "status", "number"], name="revision_document_status")
        ]

    def __str__(self) -> str:
        return f"{self.document.code} — {_('revision')} {self.number:02d}"

    @property
    def is_editable(self) -> bool:
        return self.status in (RevisionStatus.DRAFT, RevisionStatus.RETURNED)

    @property
    def ends_on(self):
        """The day this issued revision stops being in force (None: not known yet), from
        ``RevisionQuerySet.with_validity``: the next revision's effective date or the
        document's withdrawal, whichever comes first."""
        days = [getattr(self, "next_effective", None), self.document.withdrawn_on]
        days = [d for d in days if d is not None]
        return min(days) if days else None


class RevisionFile(AgencyOwnedModel):
    """A file of a revision (DOCX/PDF/XLSX), checked by its content."""

    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("revision file")
        verbose_name_plural = _("revision files")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class RevisionEvent(AgencyOwnedModel):
    """A step of the revision's workflow (drafted, submitted, returned, approved, issued…):
    approvals are records, not flags."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=RevisionAction.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("revision event")
        verbose_name_plural = _("revision events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.revision} {self.action}"


class Acknowledgement(AgencyOwnedModel):
    """A person the issued revision concerns, and when they confirmed having read it."""

    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField(_("read on"), null=True, blank=True)

    class Meta:
        verbose_name = _("read acknowledgement")
        verbose_name_plural = _("read acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["revision", "user"], name="acknowledgement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.revision} — {self.user}"


class MasterListReview(AgencyOwnedModel):
    """The quarterly review of an agency's master list of documents."""

    class Result(models.TextChoices):
        UP_TO_DATE = "up_to_date", _("Up to date")
        CHANGES_NEEDED = "changes_needed", _("Changes needed")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("master list review")
        verbose_name_plural = _("master list reviews")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} Q{self.quarter}/{self.year}"


class RevisionTask(AgencyOwnedModel):
    """A document that must be revised because a legal text it rests on changes."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="tasks")
    external_document = models.ForeignKey(
        ExternalDocument, on_delete=models.PROTECT, related_name="tasks"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=TaskReason.choices)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("revision task")
        verbose_name_plural = _("revision tasks")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date", "id"], name="task_list_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "external_document"],
                condition=Q(status="open"),
                name="task_one_open_per_document_and_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.code}: {self.external_document.number}"
