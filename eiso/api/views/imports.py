"""Spreadsheet imports: a dry run that reports every bad row, or an all-or-nothing import."""

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
    ImportQuerySerializer,
    ImportRejectedSerializer,
    ImportReportSerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    RowErrorSerializer,
)
from eiso.api.views.base import acting_agency
from eiso.core.imports import import_file, validate_file

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
            "the list of bad rows."
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
            400: ImportRejectedSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request, kind: str):
        if kind not in IMPORT_KINDS:
            raise Http404
        query = ImportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        upload_serializer = ImportUploadSerializer(data=request.data)
        upload_serializer.is_valid(raise_exception=True)
        upload = upload_serializer.validated_data["file"]
        arguments = {
            "actor": request.user,
            "agency": acting_agency(request),
            "kind": kind,
            "filename": upload.name,
            "content": upload.read(),
        }
        if query.validated_data["dry_run"]:
            report = validate_file(**arguments)
            return Response(ImportReportSerializer(report).data)
        report = import_file(**arguments)
        if not report.ok:
            body = error_body(
                "import_rejected",
                _("The file has %(n)s error(s); nothing was saved.") % {"n": len(report.errors)},
                rows=RowErrorSerializer(report.errors, many=True).data,
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": len(report.cleaned)}, status=status.HTTP_201_CREATED)
