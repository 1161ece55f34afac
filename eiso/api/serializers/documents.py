"""Document control: documents, revisions and their files, issuing decisions, the master list
and its reviews, external documents and legal texts, revision tasks.

Every id in a body or query string is resolved through a scoped selector: an id the user may
not use gets the same answer as one that does not exist. Choices that depend on the object a
request is aimed at (the departments of the document's agency, the texts it may rest on, …)
get that object as ``context["target"]``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    OptionalBooleanField,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.documents import outputs, selectors
from eiso.documents.choices import (
    OPEN_STATUSES,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    ExternalKind,
    RevisionStatus,
    TaskStatus,
    Validity,
)
from eiso.documents.models import (
    Acknowledgement,
    Document,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
    RevisionEvent,
    RevisionFile,
    RevisionTask,
)
from eiso.documents.selectors import DOCUMENT_ORDERINGS
from eiso.organizations.models import Agency
from eiso.organizations.selectors import agency_choices, agency_list, department_list

# --- scoped choices ----------------------------------------------------------------------------


def visible_agencies(user):
    return agency_list(user=user)


def active_agencies(user):
    return agency_choices(user=user)


def visible_departments(user):
    return department_list(user=user)


def _agency_and_self(target) -> tuple[Agency, Document | None]:
    """A create is aimed at an agency, a change at the document itself."""
    if isinstance(target, Document):
        return target.agency, target
    return target, None


def document_departments(user, target):
    agency, _document = _agency_and_self(target)
    return department_list(user=user, agency=agency).filter(is_active=True)


def document_references(user, target):
    agency, document = _agency_and_self(target)
    return selectors.document_choices(user=user, agency=agency, exclude=document)


def document_forms(user, target):
    return document_references(user, target).filter(kind=DocumentKind.FORM)


def document_legal_bases(user, target):
    agency, _document = _agency_and_self(target)
    return selectors.external_choices(user=user, agency=agency)


def readable_revisions(user):
    return selectors.revision_choices(user=user)


def decision_revision_choices(user, decision):
    return selectors.decision_revision_choices(user=user, decision=decision)


def replaceable_texts(user, agency):
    return selectors.external_replace_choices(user=user, agency=agency)


AGENCY_HELP = _(
    "Default: the agency of your role (the one chosen in the header in a browser, else your "
    "first role). Another agency must be one you may see."
)


class AgencyChoiceSerializer(serializers.Serializer):
    """The agency a create is aimed at (resolved before the rest of the body)."""

    agency = ScopedPrimaryKeyRelatedField(choices=active_agencies, required=False)


# --- revisions and files -------------------------------------------------------------------------


class RevisionFileSerializer(ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = RevisionFile
        fields = [
            "id",
            "revision",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attached: RevisionFile) -> str:
        return reverse("api:revision-file-download", args=[attached.pk])


class RevisionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("A DOCX, PDF or XLSX file; its type is checked by its content.")
    )


class ValidityMixin(serializers.Serializer):
    """Whether an issued revision is in force today (computed from dates, as on the pages)."""

    validity = serializers.SerializerMethodField(
        help_text=_(
            "For an issued revision, on today's date: pending (issued, not yet in force), "
            "in_force or expired; null before it is issued."
        )
    )
    is_current = serializers.SerializerMethodField(help_text=_("In force today."))

    @extend_schema_field(EnumChoiceField(Validity, allow_null=True))
    def get_validity(self, revision: Revision) -> str | None:
        value = getattr(revision, "validity", None)
        if value is None:
            value = selectors.revision_validity(revision=revision)
        return value or None

    def get_is_current(self, revision: Revision) -> bool:
        return self.get_validity(revision) == Validity.IN_FORCE


class RevisionBriefSerializer(ValidityMixin, ModelSerializer):
    """A revision as a list of documents shows it."""

    status = EnumChoiceField(RevisionStatus, read_only=True)

    class Meta:
        model = Revision
        fields = ["id", "number", "status", "validity", "effective_date", "issued_at"]
        read_only_fields = fields


class RevisionStateSerializer(serializers.Serializer):
    """The revision in preparation as a list of documents shows it."""

    number = serializers.IntegerField()
    status = EnumChoiceField(RevisionStatus)


class RevisionSerializer(ValidityMixin, ModelSerializer):
    """A revision with its files. ``validity``: whether it is in force today, computed from its
    effective date and the next revision's (``is_current``: in force today)."""

    document_code = serializers.CharField(source="document.code", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    drafted_by_name = serializers.CharField(source="drafted_by.full_name", read_only=True)
    reviewed_by_name = serializers.CharField(
        source="reviewed_by.full_name", read_only=True, allow_null=True
    )
    approved_by_name = serializers.CharField(
        source="approved_by.full_name", read_only=True, allow_null=True
    )
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, allow_null=True
    )
    status = EnumChoiceField(RevisionStatus, read_only=True)
    files = RevisionFileSerializer(many=True, read_only=True)

    class Meta:
        model = Revision
        fields = [
            "id",
            "document",
            "document_code",
            "document_title",
            "agency",
            "number",
            "status",
            "validity",
            "is_current",
            "effective_date",
            "change_summary",
            "content",
            "drafted_by",
            "drafted_by_name",
            "reviewed_by",
            "reviewed_by_name",
            "approved_by",
            "approved_by_name",
            "decision",
            "decision_number",
            "return_comment",
            "issued_at",
            "version",
            "files",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RevisionEventSerializer(ModelSerializer):
    """A step of the workflow (approvals are records, not flags)."""

    actor_name = serializers.CharField(source="actor.full_name", read_only=True, allow_null=True)

    class Meta:
        model = RevisionEvent
        fields = ["action", "actor", "actor_name", "comment", "created_at"]
        read_only_fields = fields


class RevisionDetailSerializer(RevisionSerializer):
    """A revision with its files and the steps of its workflow."""

    events = serializers.SerializerMethodField()

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "events"]
        read_only_fields = fields

    @extend_schema_field(RevisionEventSerializer(many=True))
    def get_events(self, revision: Revision):
        events = selectors.revision_events(revision=revision)
        return RevisionEventSerializer(events, many=True, context=self.context).data


class RevisionUpdateSerializer(serializers.Serializer):
    """Change a draft (or a returned revision)."""

    effective_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Empty: the date of the issuing decision.")
    )
    change_summary = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("What changed and why.")
    )
    content = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        min_value=1,
        help_text=_(
            "Required: the version you read. If someone changed the draft meanwhile, the "
            "change is refused (409 concurrent_edit) instead of overwriting theirs."
        ),
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text=_("What must be changed."))


class AcknowledgementSerializer(ModelSerializer):
    class Meta:
        model = Acknowledgement
        fields = ["id", "revision", "user", "acknowledged_at"]
        read_only_fields = fields


# --- documents -------------------------------------------------------------------------------------


class DocumentSerializer(ModelSerializer):
    """A document as a list shows it: the revision in force today (``current_revision``), one
    issued to take effect later (``upcoming_revision``) and, for those who may see drafts,
    the state of the revision in preparation."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True
    )
    kind = EnumChoiceField(DocumentKind, read_only=True)
    status = EnumChoiceField(DocumentStatus, read_only=True)
    current_revision = RevisionBriefSerializer(source="in_force", read_only=True, allow_null=True)
    upcoming_revision = RevisionBriefSerializer(source="upcoming", read_only=True, allow_null=True)
    revision_in_preparation = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "agency",
            "agency_code",
            "code",
            "title",
            "kind",
            "department",
            "department_name",
            "status",
            "withdrawn_on",
            "current_revision",
            "upcoming_revision",
            "revision_in_preparation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RevisionStateSerializer(allow_null=True))
    def get_revision_in_preparation(self, document: Document):
        # Annotated from the revisions the user may read: nothing for staff.
        status = getattr(document, "open_status", None)
        if not status:
            return None
        return {"number": document.open_number, "status": status}


class DocumentDetailSerializer(DocumentSerializer):
    """One document: the current revision and, for those who may see drafts, the revision in
    preparation in full; what it rests on and refers to, as far as the user may read it."""

    current_revision = RevisionSerializer(source="in_force", read_only=True, allow_null=True)
    upcoming_revision = RevisionSerializer(source="upcoming", read_only=True, allow_null=True)
    references = serializers.SerializerMethodField()
    forms = serializers.SerializerMethodField()
    used_in = serializers.SerializerMethodField()
    legal_bases = serializers.SerializerMethodField()
    distribution = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "withdrawn_reason",
            "created_by",
            "references",
            "forms",
            "used_in",
            "legal_bases",
            "distribution",
        ]
        read_only_fields = fields

    @extend_schema_field(RevisionSerializer(allow_null=True))
    def get_revision_in_preparation(self, document: Document):
        revision = selectors.revision_in_preparation(
            user=self.context["request"].user, document=document
        )
        if revision is None:
            return None
        return RevisionSerializer(revision, context=self.context).data

    def _links(self, document: Document) -> dict:
        cache = self.__dict__.setdefault("_links_cache", {})
        if document.pk not in cache:
            cache[document.pk] = selectors.document_links(
                user=self.context["request"].user, document=document
            )
        return cache[document.pk]

    def get_references(self, document: Document) -> list[int]:
        return [d.pk for d in self._links(document)["references"]]

    def get_forms(self, document: Document) -> list[int]:
        return [d.pk for d in self._links(document)["forms"]]

    def get_used_in(self, document: Document) -> list[int]:
        return [d.pk for d in self._links(document)["used_in"]]

    def get_legal_bases(self, document: Document) -> list[int]:
        return [e.pk for e in self._links(document)["legal_bases"]]

    def get_distribution(self, document: Document) -> list[int]:
        return [d.pk for d in self._links(document)["distribution"]]


class _DocumentLinksSerializer(serializers.Serializer):
    department = TargetScopedPrimaryKeyRelatedField(
        choices=document_departments,
        required=False,
        allow_null=True,
        help_text=_("An active department of the document's agency."),
    )
    references = TargetScopedPrimaryKeyRelatedField(
        choices=document_references,
        many=True,
        required=False,
        help_text=_("Documents of the same agency it refers to."),
    )
    forms = TargetScopedPrimaryKeyRelatedField(
        choices=document_forms,
        many=True,
        required=False,
        help_text=_("Forms (documents of kind 'form') of the same agency."),
    )
    legal_bases = TargetScopedPrimaryKeyRelatedField(
        choices=document_legal_bases,
        many=True,
        required=False,
        help_text=_(
            "Legal texts it rests on: the agency's own and the shared ones of the agencies "
            "above it."
        ),
    )
    distribution = TargetScopedPrimaryKeyRelatedField(
        choices=document_departments,
        many=True,
        required=False,
        help_text=_("Departments whose people must read it; none: the whole agency."),
    )


class DocumentCreateSerializer(_DocumentLinksSerializer):
    """A new document with its first draft (revision 01)."""

    agency = ScopedPrimaryKeyRelatedField(
        choices=active_agencies, required=False, help_text=AGENCY_HELP
    )
    code = serializers.CharField(max_length=60, help_text=_("E.g. QT-01, BM-01-02."))
    title = serializers.CharField(max_length=300)
    kind = EnumChoiceField(DocumentKind)
    effective_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Empty: the date of the issuing decision.")
    )
    change_summary = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    content = serializers.CharField(required=False, allow_blank=True)


class DocumentUpdateSerializer(_DocumentLinksSerializer):
    """A document's description and links (its content is a revision's). The code changes
    only while nothing has been issued."""

    code = serializers.CharField(max_length=60, required=False)
    title = serializers.CharField(max_length=300, required=False)
    kind = EnumChoiceField(DocumentKind, required=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Withdrawn from (default: today).")
    )


class NewRevisionSerializer(serializers.Serializer):
    change_summary = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("What changes and why.")
    )


DOCUMENT_STATES = [
    ("issued", _("A revision is in force")),
    ("upcoming", _("Issued, not yet in force")),
    ("never_issued", _("Never issued")),
    *[(status, RevisionStatus(status).label) for status in OPEN_STATUSES],
]


class DocumentFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Code, title or change summary; accents and đ are ignored."),
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False, allow_blank=True)
    department = ScopedPrimaryKeyRelatedField(choices=visible_departments, required=False)
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Documents of this agency and the agencies below it."),
    )
    status = serializers.ChoiceField(
        choices=DocumentStatus.choices, required=False, allow_blank=True
    )
    state = serializers.ChoiceField(
        choices=DOCUMENT_STATES,
        required=False,
        allow_blank=True,
        help_text=_(
            "A revision in force today, one issued to take effect later, never issued, or the "
            "state of the revision in preparation."
        ),
    )
    effective_from = serializers.DateField(
        required=False, allow_null=True, help_text=_("The revision in force took effect from.")
    )
    effective_to = serializers.DateField(required=False, allow_null=True)
    ordering = serializers.ChoiceField(
        choices=list(DOCUMENT_ORDERINGS), required=False, allow_blank=True
    )


# --- issuing decisions -------------------------------------------------------------------------


class DecisionRevisionSerializer(ValidityMixin, ModelSerializer):
    document_code = serializers.CharField(source="document.code", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    status = EnumChoiceField(RevisionStatus, read_only=True)

    class Meta:
        model = Revision
        fields = [
            "id",
            "document",
            "document_code",
            "document_title",
            "number",
            "status",
            "validity",
            "is_current",
            "effective_date",
        ]
        read_only_fields = fields


_DECISION_FIELDS = [
    "id",
    "agency",
    "agency_code",
    "number",
    "date",
    "subject",
    "title",
    "signer_name",
    "signer_title",
    "status",
    "signed_at",
    "signed_file_name",
    "created_by",
    "created_at",
]


class DecisionTitleMixin(serializers.Serializer):
    title = serializers.SerializerMethodField(
        help_text=_("The “Về việc …” line exactly as the decision's page, DOCX and PDF show it.")
    )

    def get_title(self, decision: IssuingDecision) -> str:
        return outputs.decision_title(decision)


class DecisionSerializer(DecisionTitleMixin, ModelSerializer):
    """An issuing decision as a list shows it."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = EnumChoiceField(DecisionStatus, read_only=True)
    revision_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = IssuingDecision
        fields = [*_DECISION_FIELDS, "revision_count"]
        read_only_fields = fields


class DecisionDetailSerializer(DecisionTitleMixin, ModelSerializer):
    """One decision with the revisions it issues (staff: only those still current)."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = EnumChoiceField(DecisionStatus, read_only=True)
    revisions = serializers.SerializerMethodField()

    class Meta:
        model = IssuingDecision
        fields = [*_DECISION_FIELDS, "revisions"]
        read_only_fields = fields

    @extend_schema_field(DecisionRevisionSerializer(many=True))
    def get_revisions(self, decision: IssuingDecision):
        revisions = selectors.decision_revisions(
            user=self.context["request"].user, decision=decision
        )
        return DecisionRevisionSerializer(revisions, many=True, context=self.context).data


class DecisionCreateSerializer(serializers.Serializer):
    """A draft decision over approved revisions, in the agency of those revisions."""

    subject = serializers.CharField(max_length=500)
    signer_name = serializers.CharField(max_length=200)
    signer_title = serializers.CharField(max_length=200)
    revisions = ScopedPrimaryKeyRelatedField(
        choices=readable_revisions,
        many=True,
        allow_empty=False,
        help_text=_("Approved revisions of one agency, in no other decision."),
    )
    number = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text=_(
            "The number (45) or the official number and symbol (45/QĐ-STP) of the agency; may "
            "be left empty until the decision is signed."
        ),
    )
    date = serializers.DateField(required=False, allow_null=True)


class DecisionUpdateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=500, required=False)
    signer_name = serializers.CharField(max_length=200, required=False)
    signer_title = serializers.CharField(max_length=200, required=False)
    revisions = TargetScopedPrimaryKeyRelatedField(
        choices=decision_revision_choices,
        many=True,
        required=False,
        allow_empty=False,
        help_text=_("Approved revisions of the decision's agency, in no other decision."),
    )
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    date = serializers.DateField(required=False, allow_null=True)


class DecisionSignSerializer(serializers.Serializer):
    """Signing issues every revision of the decision: each takes effect on its effective date
    (the decision's date when none is set); the previous revision stays in force until then."""

    number = serializers.CharField(
        max_length=60, help_text=_("45 or 45/QĐ-STP: completed with the agency's symbol.")
    )
    date = serializers.DateField(help_text=_("The day it was signed: today at the latest."))
    signed_scan = serializers.FileField(
        required=False,
        help_text=_("The signed scan (PDF, PNG or JPEG; multipart only), checked by content."),
    )


class DiscardSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DecisionFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Decisions of this agency and the agencies below it."),
    )
    status = serializers.ChoiceField(
        choices=DecisionStatus.choices,
        required=False,
        allow_blank=True,
        help_text=_("Default: drafts and signed decisions (discarded drafts only when asked)."),
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Number or subject.")
    )
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    ordering = serializers.ChoiceField(
        choices=list(selectors.DECISION_ORDERINGS), required=False, allow_blank=True
    )


# --- master list ---------------------------------------------------------------------------------


class AgencyBriefSerializer(ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]
        read_only_fields = fields


class MasterListRowSerializer(ModelSerializer):
    """A document with the revision in force today (and one issued to take effect later)."""

    kind = EnumChoiceField(DocumentKind, read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True
    )
    revision = serializers.IntegerField(source="in_force.id", read_only=True)
    revision_number = serializers.IntegerField(source="in_force.number", read_only=True)
    effective_date = serializers.DateField(
        source="in_force.effective_date", read_only=True, allow_null=True
    )
    decision_number = serializers.CharField(
        source="in_force.decision.number", read_only=True, allow_null=True
    )
    decision_date = serializers.DateField(
        source="in_force.decision.date", read_only=True, allow_null=True
    )
    upcoming_revision = RevisionBriefSerializer(source="upcoming", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "department",
            "department_name",
            "revision",
            "revision_number",
            "effective_date",
            "decision_number",
            "decision_date",
            "upcoming_revision",
        ]
        read_only_fields = fields


class MasterListReviewSerializer(ModelSerializer):
    reviewed_by_name = serializers.CharField(source="reviewed_by.full_name", read_only=True)

    class Meta:
        model = MasterListReview
        fields = [
            "id",
            "agency",
            "year",
            "quarter",
            "reviewed_on",
            "reviewed_by",
            "reviewed_by_name",
            "result",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class ReviewStatusSerializer(serializers.Serializer):
    """The quarterly review: due at the end of the quarter, overdue when last quarter's is
    missing."""

    last = MasterListReviewSerializer(allow_null=True)
    due_on = serializers.DateField()
    done_this_quarter = serializers.BooleanField()
    overdue = serializers.BooleanField()


class MasterListSerializer(serializers.Serializer):
    agency = AgencyBriefSerializer()
    review = ReviewStatusSerializer()
    results = MasterListRowSerializer(many=True)


class MasterListQuerySerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies, required=False, help_text=AGENCY_HELP
    )


class MasterListReviewCreateSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=active_agencies, required=False, help_text=AGENCY_HELP
    )
    reviewed_on = serializers.DateField()
    result = serializers.ChoiceField(choices=MasterListReview.Result.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- external documents and legal texts --------------------------------------------------------


class ExternalDocumentSerializer(ModelSerializer):
    """An external document or legal text. Shared ones belong to the province's catalogue."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    kind = EnumChoiceField(ExternalKind, read_only=True)
    replaced_by_number = serializers.CharField(
        source="replaced_by.number", read_only=True, allow_null=True
    )
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = ExternalDocument
        fields = [
            "id",
            "agency",
            "agency_code",
            "is_shared",
            "kind",
            "number",
            "title",
            "issuer",
            "issue_date",
            "effective_date",
            "expiry_date",
            "replaced_by",
            "replaced_by_number",
            "in_force",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_in_force(self, external: ExternalDocument) -> bool:
        expired = external.expiry_date is not None and external.expiry_date < timezone.localdate()
        return external.replaced_by_id is None and not expired


class _ExternalFieldsSerializer(serializers.Serializer):
    kind = EnumChoiceField(ExternalKind, required=False)
    number = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=500)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    issue_date = serializers.DateField(required=False, allow_null=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(required=False, allow_null=True)
    is_shared = OptionalBooleanField(
        required=False,
        help_text=_(
            "In the province's catalogue, read by every agency below (kept by those who "
            "manage the agencies)."
        ),
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class ExternalCreateSerializer(_ExternalFieldsSerializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=active_agencies, required=False, help_text=AGENCY_HELP
    )
    replaces = TargetScopedPrimaryKeyRelatedField(
        choices=replaceable_texts,
        required=False,
        allow_null=True,
        help_text=_(
            "A text still in force of the agency's own list, or of the shared catalogue you "
            "keep. Every document resting on it is linked to the new one and gets a revision "
            "task."
        ),
    )


class ExternalUpdateSerializer(_ExternalFieldsSerializer):
    pass


class ExternalFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Number, title or issuer; accents and đ are ignored."),
    )
    kind = serializers.ChoiceField(choices=ExternalKind.choices, required=False, allow_blank=True)
    scope = serializers.ChoiceField(
        choices=[("shared", _("Province catalogue")), ("own", _("Agency's own"))],
        required=False,
        allow_blank=True,
    )
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("The agency's own texts and the shared ones above it."),
    )
    in_force = serializers.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], required=False, allow_blank=True
    )
    ordering = serializers.ChoiceField(
        choices=["number", "-number", "effective", "-effective", "title", "-title"],
        required=False,
        allow_blank=True,
    )


# --- revision tasks ----------------------------------------------------------------------------


class RevisionTaskSerializer(ModelSerializer):
    """A document that must be revised because a legal text it rests on changes."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    document_code = serializers.CharField(source="document.code", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    external_number = serializers.CharField(source="external_document.number", read_only=True)
    external_title = serializers.CharField(source="external_document.title", read_only=True)
    status = EnumChoiceField(TaskStatus, read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = RevisionTask
        fields = [
            "id",
            "agency",
            "agency_code",
            "document",
            "document_code",
            "document_title",
            "external_document",
            "external_number",
            "external_title",
            "reason",
            "due_date",
            "status",
            "is_overdue",
            "closed_at",
            "closed_by_revision",
        ]
        read_only_fields = fields

    def get_is_overdue(self, task: RevisionTask) -> bool:
        return task.status == TaskStatus.OPEN and task.due_date < timezone.localdate()


class TaskFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*TaskStatus.choices, ("all", _("All"))],
        required=False,
        allow_blank=True,
        help_text=_("Default: open."),
    )
    overdue = OptionalBooleanField(required=False, help_text=_("Only open tasks past due."))
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Tasks of this agency and the agencies below it."),
    )
