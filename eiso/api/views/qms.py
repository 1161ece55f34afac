"""The QMS of an agency: its record, its announcements of conformity (prepare, edit or discard
the draft, sign, correct, send, publish; the overseer acknowledges receipt or returns it for
correction; the decision as DOCX/PDF) and its steering committee.

Reads go through the QMS selectors (out of scope is 404); writes load their agency or
announcement in the CHANGE scope — overseers read and receive, they do not keep the record —
and call one service, which checks the role and the state."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from eiso.api.parsers import DepthLimitedJSONParser
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.qms import (
    AgencyQuerySerializer,
    AnnouncementCorrectSerializer,
    AnnouncementCreateSerializer,
    AnnouncementDetailSerializer,
    AnnouncementDiscardSerializer,
    AnnouncementFilterSerializer,
    AnnouncementPublishSerializer,
    AnnouncementReceiveSerializer,
    AnnouncementReturnSerializer,
    AnnouncementScanSerializer,
    AnnouncementSerializer,
    AnnouncementSignSerializer,
    AnnouncementUpdateSerializer,
    CommitteeDecisionCreateSerializer,
    CommitteeDecisionSerializer,
    QmsSerializer,
    QmsUpdateSerializer,
)
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.core.errors import ValidationFailed
from eiso.core.files import DOCX, PDF
from eiso.core.generic import official_response
from eiso.core.roles import Action
from eiso.organizations import selectors as org_selectors
from eiso.procedures import selectors as procedure_selectors
from eiso.qms import outputs, selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


def _agency_for(request, action: Action, pk=None):
    """``pk`` (from the query string or the body), else the agency of the actor's role, in the
    user's scope for ``action``; anything else is 404."""
    if pk in (None, ""):
        agency = acting_agency(request)
        if agency is None:
            message = _("Say which agency this is for.")
            raise ValidationFailed(message, fields={"agency": [message]})
        if action == Action.VIEW:
            return agency
        pk = agency.pk
    return org_selectors.agency_get(user=request.user, pk=pk, action=action)


def _requested_agency(request):
    pk = request.query_params.get("agency")
    if pk in (None, "") and hasattr(request.data, "get"):
        pk = request.data.get("agency")
    return pk


# --- the record --------------------------------------------------------------------------------


class QmsViewSet(ApiViewSet):
    """The QMS record of one agency (one answer per agency, so not a router list)."""

    serializer_class = QmsSerializer

    @extend_schema(
        summary=gettext_lazy("The QMS of an agency"),
        description=gettext_lazy(
            "Record, scope (handled procedures), re-announcement reasons, latest and draft "
            "announcement, committee state."
        ),
        parameters=[AgencyQuerySerializer],
        responses={200: QmsSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def record(self, request):
        agency = _agency_for(request, Action.VIEW, request.query_params.get("agency"))
        return self.show(self._payload(agency), QmsSerializer)

    @extend_schema(
        summary=gettext_lazy("Change the QMS record of an agency"),
        description=gettext_lazy(
            "Only the agency's ISO secretary or head. Give the version you read: a change made "
            "meanwhile answers 409. Changing the standard version of an announced QMS makes a "
            "re-announcement due."
        ),
        parameters=[AgencyQuerySerializer],
        request=QmsUpdateSerializer,
        responses={200: QmsSerializer, **CHANGE_RESPONSES},
    )
    def update_record(self, request):
        agency = _agency_for(request, Action.CHANGE, _requested_agency(request))
        data = self.body(QmsUpdateSerializer, partial=True, context={"target": agency})
        version = data.pop("version", None)
        services.qms_update(actor=request.user, agency=agency, data=data, expected_version=version)
        return self.show(self._payload(agency), QmsSerializer)

    def _payload(self, agency) -> dict:
        user = self.request.user
        return {
            "agency": agency,
            "record": selectors.qms_of(user=user, agency=agency),
            "handled_procedures": procedure_selectors.coverage_of(user=user, agency=agency).handled,
            "reannouncement_reasons": selectors.reannouncement_reasons(user=user, agency=agency),
            "latest_announcement": selectors.latest_announcement(agency=agency),
            "draft_announcement": selectors.draft_announcement(user=user, agency=agency),
            "committee": selectors.committee_state(user=user, agency=agency),
        }


# --- announcements -----------------------------------------------------------------------------

FILE_DESCRIPTION = gettext_lazy(
    "The decision announcing conformity in the official layout: a draft gives its draft to "
    "print and sign (marked as a draft, blanks for the number and the day), a signed one its "
    "text, with the scope recorded when it was prepared."
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the announcements of conformity you may read"),
        parameters=[AnnouncementFilterSerializer],
        responses={200: AnnouncementSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One announcement with its scope and its history"),
        responses={200: AnnouncementDetailSerializer, 404: ErrorSerializer},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Edit a draft announcement"),
        description=gettext_lazy(
            "Its signer, the reason of a re-announcement, or its scope taken again as it "
            "stands now (refresh_scope). Only a draft."
        ),
        request=AnnouncementUpdateSerializer,
        responses={200: AnnouncementDetailSerializer, **CHANGE_RESPONSES},
    ),
    discard=extend_schema(
        summary=gettext_lazy("Discard a draft announcement"),
        description=gettext_lazy(
            "The draft is kept, marked discarded, out of the default list; a signed "
            "announcement is never discarded."
        ),
        request=AnnouncementDiscardSerializer,
        responses={200: AnnouncementDetailSerializer, **CHANGE_RESPONSES},
    ),
    correct=extend_schema(
        summary=gettext_lazy("Correct what was recorded of the signed decision"),
        description=gettext_lazy(
            "Number, date (not in the future), signer — before it is sent, or after the "
            "overseer returned it. The history keeps what it was."
        ),
        request=AnnouncementCorrectSerializer,
        responses={200: AnnouncementDetailSerializer, **CHANGE_RESPONSES},
    ),
    return_for_correction=extend_schema(
        summary=gettext_lazy("Return a sent announcement for correction (the overseer)"),
        description=gettext_lazy(
            "With the reason; the agency's ISO secretary and head are notified, correct it "
            "and send it again."
        ),
        request=AnnouncementReturnSerializer,
        responses={200: AnnouncementDetailSerializer, **CHANGE_RESPONSES},
    ),
    create=extend_schema(
        summary=gettext_lazy("Prepare a draft announcement (or re-announcement)"),
        description=gettext_lazy(
            "The scope as it stands is recorded. A re-announcement needs a reason; left "
            "empty, the reasons found (scope changed, new version, merger) are used."
        ),
        request=AnnouncementCreateSerializer,
        responses={201: AnnouncementSerializer, **CHANGE_RESPONSES},
    ),
    sign=extend_schema(
        summary=gettext_lazy("Record the signed announcement"),
        description=gettext_lazy(
            "Number (45 becomes 45/QĐ-<the agency's symbol>) and date (not in the future); "
            "JSON, or multipart with the signed scan. The QMS becomes announced and any "
            "re-announcement due is settled."
        ),
        request={
            "application/json": AnnouncementSignSerializer,
            "multipart/form-data": AnnouncementSignSerializer,
        },
        responses={200: AnnouncementSerializer, **CHANGE_RESPONSES},
    ),
    scan=extend_schema(
        summary=gettext_lazy("Attach (or replace) the signed scan"),
        request={"multipart/form-data": AnnouncementScanSerializer},
        responses={200: AnnouncementSerializer, **CHANGE_RESPONSES},
    ),
    send=extend_schema(
        summary=gettext_lazy("Send the signed announcement to the overseer"),
        description=gettext_lazy("The signed scan must be attached first."),
        request=None,
        responses={200: AnnouncementSerializer, **CHANGE_RESPONSES},
    ),
    receive=extend_schema(
        summary=gettext_lazy("Acknowledge receipt (the overseer)"),
        description=gettext_lazy("On a day between the sending and today; the agency is notified."),
        request=AnnouncementReceiveSerializer,
        responses={200: AnnouncementSerializer, **CHANGE_RESPONSES},
    ),
    publish=extend_schema(
        summary=gettext_lazy("Show or hide a signed announcement on the public portal"),
        request=AnnouncementPublishSerializer,
        responses={200: AnnouncementSerializer, **CHANGE_RESPONSES},
    ),
    docx=extend_schema(
        summary=gettext_lazy("The announcement as DOCX, in the official layout"),
        description=FILE_DESCRIPTION,
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    pdf=extend_schema(
        summary=gettext_lazy("The announcement as PDF, in the official layout"),
        description=FILE_DESCRIPTION,
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class AnnouncementViewSet(ApiViewSet):
    """Announcements of conformity (quyết định công bố / công bố lại)."""

    serializer_class = AnnouncementSerializer

    def list(self, request):
        filters = self.query(AnnouncementFilterSerializer)
        return self.paginated(
            selectors.announcement_list(user=request.user, **filters), AnnouncementSerializer
        )

    def retrieve(self, request, pk: int):
        return self._detail(request, pk)

    def partial_update(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        data = self.body(AnnouncementUpdateSerializer, partial=True)
        services.announcement_update(actor=request.user, announcement=announcement, **data)
        return self._detail(request, pk)

    @action(detail=True, methods=["post"])
    def discard(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        data = self.body(AnnouncementDiscardSerializer)
        services.announcement_discard(
            actor=request.user, announcement=announcement, reason=data.get("reason", "")
        )
        return self._detail(request, pk)

    @action(detail=True, methods=["post"])
    def correct(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        data = self.body(AnnouncementCorrectSerializer)
        services.announcement_correct(actor=request.user, announcement=announcement, **data)
        return self._detail(request, pk)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_correction(self, request, pk: int):
        announcement = self._load(request, pk)  # the overseer reads; the table checks who
        data = self.body(AnnouncementReturnSerializer)
        services.announcement_return(
            actor=request.user, announcement=announcement, reason=data["reason"]
        )
        return self._detail(request, pk)

    def create(self, request):
        data = self.body(AnnouncementCreateSerializer)
        agency = _agency_for(request, Action.CHANGE, getattr(data.pop("agency", None), "pk", None))
        announcement = services.announcement_create(
            actor=request.user,
            agency=agency,
            signer_name=data.get("signer_name") or agency.head_name,
            signer_title=data.get("signer_title") or agency.head_title.upper(),
            reason=data.get("reason", ""),
        )
        return self.show(
            self._load(request, announcement.pk),
            AnnouncementSerializer,
            status=status.HTTP_201_CREATED,
        )

    @action(
        detail=True,
        methods=["post"],
        parser_classes=[DepthLimitedJSONParser, MultiPartParser, FormParser],
    )
    def sign(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        data = self.body(AnnouncementSignSerializer)
        services.announcement_sign(
            actor=request.user,
            announcement=announcement,
            number=data["number"],
            date=data["date"],
            signed_scan=data.get("signed_scan"),
        )
        return self.show(self._load(request, pk), AnnouncementSerializer)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def scan(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        data = self.body(AnnouncementScanSerializer)
        services.announcement_attach_scan(
            actor=request.user, announcement=announcement, upload=data["signed_scan"]
        )
        return self.show(self._load(request, pk), AnnouncementSerializer)

    @action(detail=True, methods=["post"])
    def send(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        services.announcement_send(actor=request.user, announcement=announcement)
        return self.show(self._load(request, pk), AnnouncementSerializer)

    @action(detail=True, methods=["post"])
    def receive(self, request, pk: int):
        announcement = self._load(request, pk)  # the overseer reads; the service checks
        data = self.body(AnnouncementReceiveSerializer)
        services.announcement_receive(
            actor=request.user, announcement=announcement, on=data.get("on")
        )
        return self.show(self._load(request, pk), AnnouncementSerializer)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk: int):
        announcement = self._load(request, pk, action=Action.CHANGE)
        data = self.body(AnnouncementPublishSerializer)
        services.announcement_publish(
            actor=request.user, announcement=announcement, published=data["published"]
        )
        return self.show(self._load(request, pk), AnnouncementSerializer)

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        return self._file(request, pk, "docx")

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        return self._file(request, pk, "pdf")

    def _file(self, request, pk: int, file_format: str):
        announcement = self._load(request, pk)
        filename = outputs.announcement_filename(announcement, file_format)
        return official_response(
            outputs.announcement_document(announcement), filename.rsplit(".", 1)[0], file_format
        )

    def _load(self, request, pk: int, *, action: Action = Action.VIEW):
        return selectors.announcement_get(user=request.user, pk=pk, action=action)

    def _detail(self, request, pk: int):
        announcement = self._load(request, pk)
        announcement.history_rows = list(selectors.announcement_events(announcement=announcement))
        return self.show(announcement, AnnouncementDetailSerializer)


# --- the steering committee --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The steering committee decisions of an agency, newest first"),
        description=gettext_lazy("The first is the current committee; each with its members."),
        parameters=[AgencyQuerySerializer],
        responses={
            200: CommitteeDecisionSerializer(many=True),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    ),
    create=extend_schema(
        summary=gettext_lazy("Record a new steering committee decision"),
        description=gettext_lazy(
            "Its members replace the current ones. A member is a person who works in the "
            "agency (``user``) or a name; the committee needs a head."
        ),
        request=CommitteeDecisionCreateSerializer,
        responses={201: CommitteeDecisionSerializer, **CHANGE_RESPONSES},
    ),
)
class CommitteeDecisionViewSet(ApiViewSet):
    """The ISO steering committee (Ban chỉ đạo ISO): its establishing and updating decisions."""

    serializer_class = CommitteeDecisionSerializer

    def list(self, request):
        agency = _agency_for(request, Action.VIEW, request.query_params.get("agency"))
        return self.paginated(
            selectors.committee_decisions_with_members(user=request.user, agency=agency),
            CommitteeDecisionSerializer,
        )

    def create(self, request):
        agency = _agency_for(request, Action.CHANGE, _requested_agency(request))
        data = self.body(CommitteeDecisionCreateSerializer, context={"target": agency})
        decision = services.committee_decision_create(
            actor=request.user,
            agency=agency,
            number=data["number"],
            date=data["date"],
            notes=data.get("notes", ""),
            members=[dict(m) for m in data["members"]],
        )
        created = (
            selectors.committee_decisions_with_members(user=request.user, agency=agency)
            .filter(pk=decision.pk)
            .first()
        )
        return self.show(created, CommitteeDecisionSerializer, status=status.HTTP_201_CREATED)
