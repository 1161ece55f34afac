"""Document control (ISO 7.5): documents, revisions and their workflow, files, issuing
decisions, the master list, external documents and legal texts, revision tasks.

Reads go through the document selectors (out of scope is 404; staff read only what is issued);
writes load their object in the CHANGE scope and call one service, which checks the transition,
the role and the separation of duties."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from eiso.api.parsers import DepthLimitedJSONParser
from eiso.api.serializers.documents import (
    AcknowledgementSerializer,
    AgencyChoiceSerializer,
    CommentSerializer,
    DecisionCreateSerializer,
    DecisionDetailSerializer,
    DecisionFilterSerializer,
    DecisionSerializer,
    DecisionSignSerializer,
    DecisionUpdateSerializer,
    DiscardSerializer,
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentFilterSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    ExternalCreateSerializer,
    ExternalDocumentSerializer,
    ExternalFilterSerializer,
    ExternalUpdateSerializer,
    MasterListQuerySerializer,
    MasterListReviewCreateSerializer,
    MasterListReviewSerializer,
    MasterListSerializer,
    NewRevisionSerializer,
    ReturnSerializer,
    RevisionDetailSerializer,
    RevisionFileSerializer,
    RevisionSerializer,
    RevisionTaskSerializer,
    RevisionUpdateSerializer,
    RevisionUploadSerializer,
    TaskFilterSerializer,
    WithdrawSerializer,
)
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.views.base import ApiViewSet
from eiso.core import files
from eiso.core.files import DOCX, PDF, XLSX
from eiso.core.generic import official_response
from eiso.core.roles import Action
from eiso.documents import outputs, selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


class FileDownloadNegotiation(DefaultContentNegotiation):
    """A download answers with the file whatever the client says it accepts; errors are the
    usual JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# --- documents ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the documents you may read"),
        description=_(
            "Staff see the documents that have a current issued revision; the keepers of the "
            "QMS, its auditors and overseers see every document and the state of its revision "
            "in preparation."
        ),
        parameters=[DocumentFilterSerializer],
        responses={200: DocumentSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One document with its current revision (and the one in preparation)"),
        responses={200: DocumentDetailSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Create a document with its first draft (revision 01)"),
        request=DocumentCreateSerializer,
        responses={201: DocumentDetailSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change a document's description and links"),
        request=DocumentUpdateSerializer,
        responses={200: DocumentDetailSerializer, **ERROR_RESPONSES},
    ),
    withdraw=extend_schema(
        summary=_("Withdraw a document that is no longer used (its history is kept)"),
        request=WithdrawSerializer,
        responses={200: DocumentDetailSerializer, **CHANGE_RESPONSES},
    ),
    revisions=extend_schema(
        summary=_("The revisions of a document (staff: only the current one)"),
        request=None,
        responses={200: RevisionSerializer(many=True), 404: ErrorSerializer},
    ),
    new_revision=extend_schema(
        summary=_("Open the next revision as a draft (one at a time)"),
        request=NewRevisionSerializer,
        responses={201: RevisionDetailSerializer, **CHANGE_RESPONSES},
    ),
)
class DocumentViewSet(ApiViewSet):
    """The controlled documents of the agencies. The ISO secretary and the head draft and
    change them in their agency; the head or the secretary withdraws them."""

    serializer_class = DocumentSerializer

    def list(self, request):
        filters = self.query(DocumentFilterSerializer)
        return self.paginated(
            selectors.document_list(user=request.user, **filters), DocumentSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), DocumentDetailSerializer)

    def create(self, request):
        agency = self.target_agency(AgencyChoiceSerializer)
        data = self.body(DocumentCreateSerializer, context={"target": agency})
        data.pop("agency", None)
        document = services.document_create(actor=request.user, agency=agency, **data)
        return self.show(
            self._load(request, document.pk),
            DocumentDetailSerializer,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk: int):
        document = self._load(request, pk, action=Action.CHANGE)
        data = self.body(DocumentUpdateSerializer, partial=True, context={"target": document})
        services.document_update(actor=request.user, document=document, data=data)
        return self.show(self._load(request, pk), DocumentDetailSerializer)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk: int):
        document = self._load(request, pk, action=Action.CHANGE)
        data = self.body(WithdrawSerializer)
        services.document_withdraw(
            actor=request.user, document=document, reason=data["reason"], on=data.get("on")
        )
        return self.show(self._load(request, pk), DocumentDetailSerializer)

    @action(detail=True, methods=["get"])
    def revisions(self, request, pk: int):
        document = self._load(request, pk)
        return self.paginated(
            selectors.revisions_of(user=request.user, document=document), RevisionSerializer
        )

    @action(detail=True, methods=["post"], url_path="new-revision", url_name="new-revision")
    def new_revision(self, request, pk: int):
        document = self._load(request, pk, action=Action.CHANGE)
        data = self.body(NewRevisionSerializer)
        revision = services.revision_start(
            actor=request.user, document=document, change_summary=data.get("change_summary", "")
        )
        return self.show(
            selectors.revision_get(user=request.user, pk=revision.pk),
            RevisionDetailSerializer,
            status=status.HTTP_201_CREATED,
        )

    def _load(self, request, pk: int, *, action: Action = Action.VIEW):
        return selectors.document_get(user=request.user, pk=pk, action=action)


# --- revisions and their files -------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("One revision with its files and workflow steps"),
        description=_("Staff read only current revisions: any other is 404 for them."),
        responses={200: RevisionDetailSerializer, 404: ErrorSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a draft (or a returned revision)"),
        request=RevisionUpdateSerializer,
        responses={200: RevisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    submit=extend_schema(
        summary=_("Submit the draft to the head for review"),
        request=CommentSerializer,
        responses={200: RevisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    return_=extend_schema(
        summary=_("Return the revision to its drafter with what to change"),
        request=ReturnSerializer,
        responses={200: RevisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    approve=extend_schema(
        summary=_("Approve the revision (the approver cannot be its drafter)"),
        request=CommentSerializer,
        responses={200: RevisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    acknowledge=extend_schema(
        summary=_("Confirm having read the current revision"),
        request=None,
        responses={200: AcknowledgementSerializer, **CHANGE_RESPONSES},
    ),
)
class RevisionViewSet(ApiViewSet):
    """Revisions and their workflow: draft → in review → (returned →) approved → issued (by a
    decision). Each transition is an explicit action. Whether an issued revision is in force
    (``validity``) is computed from the dates: the next revision's effective date ends it."""

    serializer_class = RevisionDetailSerializer

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), RevisionDetailSerializer)

    def partial_update(self, request, pk: int):
        revision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(RevisionUpdateSerializer)
        expected_version = data.pop("version")
        services.revision_update(
            actor=request.user, revision=revision, data=data, expected_version=expected_version
        )
        return self.show(self._load(request, pk), RevisionDetailSerializer)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk: int):
        revision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(CommentSerializer)
        services.revision_submit(
            actor=request.user, revision=revision, comment=data.get("comment", "")
        )
        return self.show(self._load(request, pk), RevisionDetailSerializer)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk: int):
        revision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(ReturnSerializer)
        services.revision_return(actor=request.user, revision=revision, comment=data["comment"])
        return self.show(self._load(request, pk), RevisionDetailSerializer)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk: int):
        revision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(CommentSerializer)
        services.revision_approve(
            actor=request.user, revision=revision, comment=data.get("comment", "")
        )
        return self.show(self._load(request, pk), RevisionDetailSerializer)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk: int):
        # People who work in the agency (the CHANGE scope) acknowledge; overseers only read.
        revision = self._load(request, pk, action=Action.CHANGE)
        acknowledgement = services.revision_acknowledge(actor=request.user, revision=revision)
        return self.show(acknowledgement, AcknowledgementSerializer)

    @extend_schema(
        summary=_("The files of a revision"),
        request=None,
        responses={200: RevisionFileSerializer(many=True), 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], parser_classes=[MultiPartParser, FormParser])
    def files(self, request, pk: int):
        revision = self._load(request, pk)
        return self.paginated(
            selectors.revision_files(user=request.user, revision=revision), RevisionFileSerializer
        )

    @extend_schema(
        summary=_("Attach a file to a draft (DOCX, PDF or XLSX, checked by content)"),
        description=_(
            "A multipart upload with one part named 'file'. A file whose content is not DOCX, "
            "PDF or XLSX, or larger than the configured limit, is refused (400)."
        ),
        request={"multipart/form-data": RevisionUploadSerializer},
        responses={201: RevisionFileSerializer, **CHANGE_RESPONSES},
    )
    @files.mapping.post
    def upload_file(self, request, pk: int):
        revision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(RevisionUploadSerializer)
        attached = services.revision_attach_file(
            actor=request.user, revision=revision, upload=data["file"]
        )
        return self.show(attached, RevisionFileSerializer, status=status.HTTP_201_CREATED)

    def _load(self, request, pk: int, *, action: Action = Action.VIEW):
        return selectors.revision_get(user=request.user, pk=pk, action=action)


@extend_schema_view(
    destroy=extend_schema(
        summary=_("Remove a file from a draft"),
        responses={204: None, **CHANGE_RESPONSES},
    ),
    download=extend_schema(
        summary=_("Download a file of a revision"),
        description=_("Staff download only the files of current revisions."),
        responses={
            (200, DOCX): OpenApiTypes.BINARY,
            (200, PDF): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            404: ErrorSerializer,
        },
    ),
)
class RevisionFileViewSet(ApiViewSet):
    serializer_class = RevisionFileSerializer

    def destroy(self, request, pk: int):
        attached = selectors.revision_file_get(user=request.user, pk=pk, action=Action.CHANGE)
        services.revision_remove_file(actor=request.user, attached=attached)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def download(self, request, pk: int):
        attached = selectors.revision_file_get(user=request.user, pk=pk)
        return files.file_response(
            attached.file, name=attached.original_name, content_type=attached.content_type
        )


# --- issuing decisions -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the issuing decisions you may read"),
        description=_(
            "Staff see only signed decisions. Numbers have the official shape 45/QĐ-STP; "
            "``title`` is the “Về việc …” line as printed."
        ),
        parameters=[DecisionFilterSerializer],
        responses={200: DecisionSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One issuing decision with its revisions"),
        responses={200: DecisionDetailSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Prepare a decision that issues approved revisions"),
        description=_("The decision belongs to the agency of its revisions."),
        request=DecisionCreateSerializer,
        responses={201: DecisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change a draft decision"),
        request=DecisionUpdateSerializer,
        responses={200: DecisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    sign=extend_schema(
        summary=_("Record the signed decision and issue its revisions"),
        description=_(
            "Every revision of the decision is issued, each in force from its effective date "
            "(the decision's date when none is set); the previous revision of each document "
            "stays in force until then. A decision is not signed on a day still to come, and "
            "no revision takes effect before its decision's date. JSON, or multipart with the "
            "signed scan."
        ),
        request={
            "application/json": DecisionSignSerializer,
            "multipart/form-data": DecisionSignSerializer,
        },
        responses={200: DecisionDetailSerializer, **CHANGE_RESPONSES},
    ),
    discard=extend_schema(
        summary=_("Discard a draft decision (kept as discarded; its revisions are freed)"),
        request=DiscardSerializer,
        responses={200: DecisionDetailSerializer, **CHANGE_RESPONSES},
    ),
)
class DecisionViewSet(ApiViewSet):
    """Issuing decisions (quyết định ban hành): one decision issues several revisions."""

    serializer_class = DecisionSerializer

    def list(self, request):
        filters = self.query(DecisionFilterSerializer)
        return self.paginated(
            selectors.decision_list(user=request.user, **filters), DecisionSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), DecisionDetailSerializer)

    def create(self, request):
        data = self.body(DecisionCreateSerializer)
        revisions = data.pop("revisions")
        decision = services.decision_create(
            actor=request.user, agency=revisions[0].agency, revisions=revisions, **data
        )
        return self.show(
            self._load(request, decision.pk),
            DecisionDetailSerializer,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk: int):
        decision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(DecisionUpdateSerializer, partial=True, context={"target": decision})
        revisions = data.pop("revisions", None)
        services.decision_update(
            actor=request.user, decision=decision, data=data, revisions=revisions
        )
        return self.show(self._load(request, pk), DecisionDetailSerializer)

    @action(
        detail=True,
        methods=["post"],
        parser_classes=[DepthLimitedJSONParser, MultiPartParser, FormParser],
    )
    def sign(self, request, pk: int):
        decision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(DecisionSignSerializer)
        services.decision_sign(
            actor=request.user,
            decision=decision,
            number=data["number"],
            date=data["date"],
            signed_scan=data.get("signed_scan"),
        )
        return self.show(self._load(request, pk), DecisionDetailSerializer)

    @action(detail=True, methods=["post"])
    def discard(self, request, pk: int):
        decision = self._load(request, pk, action=Action.CHANGE)
        data = self.body(DiscardSerializer)
        services.decision_discard(
            actor=request.user, decision=decision, reason=data.get("reason", "")
        )
        return self.show(self._load(request, pk), DecisionDetailSerializer)

    @extend_schema(
        summary=_("The decision as DOCX, in the official layout"),
        description=_(
            "A draft decision gives its draft to print and sign (marked as a draft, blanks for "
            "the number and the day); a signed one its text. Staff only get signed decisions."
        ),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        return self._file(request, pk, "docx")

    @extend_schema(
        summary=_("The decision as PDF, in the official layout"),
        description=_(
            "A draft decision gives its draft to print and sign (marked as a draft, blanks for "
            "the number and the day); a signed one its text. Staff only get signed decisions."
        ),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        return self._file(request, pk, "pdf")

    def _file(self, request, pk: int, file_format: str):
        decision = self._load(request, pk)
        return official_response(
            outputs.decision_document(decision), outputs.decision_file_stem(decision), file_format
        )

    def _load(self, request, pk: int, *, action: Action = Action.VIEW):
        return selectors.decision_get(user=request.user, pk=pk, action=action)


# --- the master list ---------------------------------------------------------------------------


class MasterListViewSet(ApiViewSet):
    """The internal master list of an agency (one answer, not paginated: it is the list)."""

    serializer_class = MasterListSerializer

    @extend_schema(
        summary=_("The master list of an agency's documents and its quarterly review"),
        parameters=[MasterListQuerySerializer],
        responses={200: MasterListSerializer, 400: ErrorSerializer},
    )
    def master_list(self, request):
        agency = self.target_agency(MasterListQuerySerializer)
        today = timezone.localdate()
        data = {
            "agency": agency,
            "review": selectors.master_list_review_status(user=request.user, agency=agency),
            "results": selectors.master_list(user=request.user, agency=agency, on=today),
        }
        return self.show(data, MasterListSerializer)


class MasterListFileViewSet(ApiViewSet):
    """The internal master list of an agency as a file in the official layout (landscape):
    every document in use with its current revision, as of today."""

    content_negotiation_class = FileDownloadNegotiation

    @extend_schema(
        summary=_("The master list of an agency as DOCX, in the official layout"),
        parameters=[MasterListQuerySerializer],
        responses={(200, DOCX): OpenApiTypes.BINARY, 400: ErrorSerializer},
    )
    def docx(self, request):
        return self._file(request, "docx")

    @extend_schema(
        summary=_("The master list of an agency as PDF, in the official layout"),
        parameters=[MasterListQuerySerializer],
        responses={(200, PDF): OpenApiTypes.BINARY, 400: ErrorSerializer},
    )
    def pdf(self, request):
        return self._file(request, "pdf")

    def _file(self, request, file_format: str):
        agency = self.target_agency(MasterListQuerySerializer)
        today = timezone.localdate()
        documents = selectors.master_list(user=request.user, agency=agency, on=today)
        return official_response(
            outputs.master_list_document(agency, documents, as_of=today),
            outputs.master_list_file_stem(agency),
            file_format,
        )


@extend_schema_view(
    create=extend_schema(
        summary=_("Record the quarterly review of an agency's master list"),
        request=MasterListReviewCreateSerializer,
        responses={201: MasterListReviewSerializer, **ERROR_RESPONSES},
    ),
)
class MasterListReviewViewSet(ApiViewSet):
    serializer_class = MasterListReviewSerializer

    def create(self, request):
        agency = self.target_agency(AgencyChoiceSerializer)
        data = self.body(MasterListReviewCreateSerializer)
        review = services.master_list_review_record(
            actor=request.user,
            agency=agency,
            reviewed_on=data["reviewed_on"],
            result=data["result"],
            notes=data.get("notes", ""),
        )
        return self.show(review, MasterListReviewSerializer, status=status.HTTP_201_CREATED)


# --- external documents and legal texts ----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List external documents and legal texts"),
        description=_(
            "Each agency's own list, plus the shared catalogue of the province above it."
        ),
        parameters=[ExternalFilterSerializer],
        responses={200: ExternalDocumentSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One external document"),
        responses={200: ExternalDocumentSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Register an external document or legal text"),
        description=_(
            "An agency's own list is kept by its ISO secretary or head; the shared catalogue "
            "of the province by those who manage its agencies."
        ),
        request=ExternalCreateSerializer,
        responses={201: ExternalDocumentSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change an external document"),
        description=_("Only the texts you keep; others are 404."),
        request=ExternalUpdateSerializer,
        responses={200: ExternalDocumentSerializer, **ERROR_RESPONSES},
    ),
)
class ExternalDocumentViewSet(ApiViewSet):
    serializer_class = ExternalDocumentSerializer

    def list(self, request):
        filters = self.query(ExternalFilterSerializer)
        return self.paginated(
            selectors.external_list(user=request.user, **filters), ExternalDocumentSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(
            selectors.external_get(user=request.user, pk=pk), ExternalDocumentSerializer
        )

    def create(self, request):
        agency = self.target_agency(AgencyChoiceSerializer)
        data = self.body(ExternalCreateSerializer, context={"target": agency})
        data.pop("agency", None)
        external = services.external_document_create(actor=request.user, agency=agency, **data)
        return self.show(
            selectors.external_get(user=request.user, pk=external.pk),
            ExternalDocumentSerializer,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk: int):
        external = selectors.external_get_editable(user=request.user, pk=pk)
        data = self.body(ExternalUpdateSerializer, partial=True)
        services.external_document_update(actor=request.user, external=external, data=data)
        return self.show(
            selectors.external_get(user=request.user, pk=pk), ExternalDocumentSerializer
        )


# --- revision tasks ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List revision tasks (documents to revise after a legal change)"),
        parameters=[TaskFilterSerializer],
        responses={200: RevisionTaskSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One revision task"),
        responses={200: RevisionTaskSerializer, 404: ErrorSerializer},
    ),
)
class RevisionTaskViewSet(ApiViewSet):
    """Read only: tasks are raised by legal changes and closed by issuing a new revision."""

    serializer_class = RevisionTaskSerializer

    def list(self, request):
        filters = self.query(TaskFilterSerializer)
        if filters.get("status") == "all":
            filters["status"] = ""
        return self.paginated(
            selectors.task_list(user=request.user, **filters), RevisionTaskSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.task_get(user=request.user, pk=pk), RevisionTaskSerializer)
