"""Spreadsheet imports: a dry run that reports every bad row, or an all-or-nothing import.
A file of more than IMPORT_SYNC_ROWS rows is accepted as a background job (202) whose status
is at ``imports/jobs/<id>/``."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from eiso.api.errors import error_body
from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.serializers.imports import (
    ImportJobSerializer,
    ImportQuerySerializer,
    ImportRejectedSerializer,
    ImportReportSerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    RowErrorSerializer,
)
from eiso.api.views.base import acting_agency
from eiso.core import imports, selectors
from eiso.core.imports.reading import sync_rows

IMPORT_KINDS = ("agencies", "users", "procedures", "handled_procedures", "announcements")


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary=gettext_lazy(
            "Import a spreadsheet (agencies, users, procedures, handled procedures, announcements)"
        ),
        description=gettext_lazy(
            "With dry_run=1 the file is checked and every bad row reported; nothing is saved. "
            "Without it every row is saved, or none: one bad row rejects the file (400) with "
            "the list of bad rows. A file of more than IMPORT_SYNC_ROWS rows (2,000 by default) "
            "is checked — and imported, without dry_run — in the background: the answer is 202 "
            "with the job, whose status_url tells its progress and result. More than "
            "IMPORT_MAX_ROWS rows (50,000 by default) are refused."
        ),
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(IMPORT_KINDS)
            ),
            ImportQuerySerializer,
        ],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportReportSerializer,
            201: ImportResultSerializer,
            202: ImportJobSerializer,
            400: ImportRejectedSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request, kind: str):
        if kind not in imports.registered_kinds():
            raise Http404
        query = ImportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        upload_serializer = ImportUploadSerializer(data=request.data)
        upload_serializer.is_valid(raise_exception=True)
        upload = upload_serializer.validated_data["file"]
        dry_run = query.validated_data["dry_run"]
        arguments = {
            "actor": request.user,
            "agency": acting_agency(request),
            "kind": kind,
            "filename": upload.name,
            "content": upload.read(),
        }
        imports.importer_for(kind).check_permission(actor=request.user, agency=arguments["agency"])
        if imports.count_rows(arguments["filename"], arguments["content"]) > sync_rows():
            batch = imports.import_job_start(**arguments, apply=not dry_run)
            data = ImportJobSerializer(batch, context={"request": request}).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        if dry_run:
            report = imports.validate_file(**arguments)
            return Response(ImportReportSerializer(report).data)
        report = imports.import_file(**arguments)
        if not report.ok:
            body = error_body(
                "import_rejected",
                _("The file has %(n)s error(s); nothing was saved.") % {"n": len(report.errors)},
                rows=RowErrorSerializer(report.errors, many=True).data,
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": len(report.cleaned)}, status=status.HTTP_201_CREATED)


class ImportJobView(APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary=gettext_lazy("A background import job"),
        description=gettext_lazy(
            "Its status (queued, checking, previewed, applying, applied, failed), the rows done "
            "of the total, and once it has ended the result: the bad rows, or the rows imported. "
            "Only the person who uploaded the file sees it."
        ),
        responses={200: ImportJobSerializer, 404: ErrorSerializer},
    )
    def get(self, request, pk: int):
        batch = selectors.import_batch_get(user=request.user, pk=pk)
        return Response(ImportJobSerializer(batch, context={"request": request}).data)
