"""Records and the one-stop dossier log: record types (and the list of records to keep),
dossiers, their import — a file (``dossiers/import/``) or a one-stop system's push of JSON
objects (``dossiers/batch/``, with a token) — and the monthly figures (``dossier-stats/``).

Reads go through the records' selectors (out of scope is 404); writes load their object in the
CHANGE scope and call one service, which checks the role. The figures are read from the
pre-aggregated monthly tables only."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from eiso.api.errors import error_body
from eiso.api.parsers import DepthLimitedJSONParser
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.imports import (
    ImportJobSerializer,
    ImportRejectedSerializer,
    ImportUploadSerializer,
    RowErrorSerializer,
)
from eiso.api.serializers.records import (
    AgencyTargetSerializer,
    DossierCheckSerializer,
    DossierFilterSerializer,
    DossierImportQuerySerializer,
    DossierImportResultSerializer,
    DossierPushSerializer,
    DossierSerializer,
    KeepListSerializer,
    RecordTypeFilterSerializer,
    RecordTypeSerializer,
    RecordTypeWriteSerializer,
    StatsFilterSerializer,
    StatsRowSerializer,
)
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.core.errors import ValidationFailed
from eiso.core.imports.reading import sync_rows
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.organizations.choices import Tier
from eiso.records import kpis, selectors, services
from eiso.records.importing.sources import estimate_rows

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


def _target(view, serializer_class=AgencyTargetSerializer):
    data = view.query(serializer_class) if view.request.method == "GET" else {}
    if view.request.method != "GET":
        serializer = serializer_class(
            data={"agency": view.request.data.get("agency")}
            if view.request.data.get("agency") not in (None, "")
            else {},
            context=view.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
    agency = data.get("agency") or acting_agency(view.request)
    if agency is None:
        message = str(_("Say which agency this is for."))
        raise ValidationFailed(message, fields={"agency": [message]})
    return agency


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the record types you may read"),
        parameters=[RecordTypeFilterSerializer],
        responses={200: RecordTypeSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: RecordTypeSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=gettext_lazy("Add a record type the agency keeps"),
        description=gettext_lazy(
            "retention_years, or permanent: true. document: one of the agency's procedures in "
            "force (null: a record of the QMS as a whole)."
        ),
        request=RecordTypeWriteSerializer,
        parameters=[AgencyTargetSerializer],
        responses={201: RecordTypeSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=RecordTypeWriteSerializer, responses={200: RecordTypeSerializer, **CHANGE_RESPONSES}
    ),
    destroy=extend_schema(
        summary=gettext_lazy("Stop keeping a record type (kept in the history)"),
        request=None,
        responses={204: None, **CHANGE_RESPONSES},
    ),
    to_keep=extend_schema(
        summary=gettext_lazy("The agency's list of records to keep"),
        description=gettext_lazy(
            "Computed from the procedures in force today: the record types kept, the forms the "
            "procedures name without a record type (missing) and the record types no procedure "
            "in force names any more (outdated)."
        ),
        parameters=[AgencyTargetSerializer],
        responses={200: KeepListSerializer, 404: ErrorSerializer},
    ),
)
class RecordTypeViewSet(ApiViewSet):
    serializer_class = RecordTypeSerializer

    def list(self, request):
        filters = self.query(RecordTypeFilterSerializer)
        return self.paginated(
            selectors.record_type_list(user=request.user, **filters), RecordTypeSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.record_type_get(user=request.user, pk=pk), RecordTypeSerializer)

    def create(self, request):
        agency = _target(self)
        data = self.body(RecordTypeWriteSerializer, context={"target": agency})
        created = services.record_type_create(actor=request.user, agency=agency, data=data)
        return self.show(created, RecordTypeSerializer, status=201)

    def partial_update(self, request, pk: int):
        record_type = selectors.record_type_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(
            RecordTypeWriteSerializer, partial=True, context={"target": record_type.agency}
        )
        updated = services.record_type_update(
            actor=request.user, record_type=record_type, data=data
        )
        return self.show(updated, RecordTypeSerializer)

    def destroy(self, request, pk: int):
        record_type = selectors.record_type_get(user=request.user, pk=pk, action=Action.CHANGE)
        services.record_type_delete(actor=request.user, record_type=record_type)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["get"], url_path="to-keep")
    def to_keep(self, request):
        filters = self.query(RecordTypeFilterSerializer)
        agency = filters.get("agency") or acting_agency(request)
        if agency is None:
            message = str(_("Say which agency this is for."))
            raise ValidationFailed(message, fields={"agency": [message]})
        keep = selectors.records_to_keep(user=request.user, agency=agency)
        return Response(KeepListSerializer(keep).data)


def _default_agency(request):
    """Without ``agency``: an administrator (the province's integration account) sends rows
    that name their agencies; anyone else, rows of the agency of their role."""
    if user_scope(request.user, Action.CHANGE).everything:
        return None
    return acting_agency(request)


def _load_result(result) -> dict:
    return {
        "rows": result.rows,
        "imported": result.imported,
        "created": result.created,
        "updated": result.updated,
    }


def _rejected(result) -> Response:
    body = error_body(
        "import_rejected",
        _("The file has %(n)s error(s); nothing was saved.") % {"n": result.error_count},
        rows=RowErrorSerializer(result.errors, many=True).data,
    )
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the one-stop dossiers you may read"),
        description=gettext_lazy(
            "Months filter by the month received; with late, by the month finished (late) or "
            "due (overdue). A province's log holds a million dossiers a year: filter by months."
        ),
        parameters=[DossierFilterSerializer],
        responses={200: DossierSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: DossierSerializer, 404: ErrorSerializer}),
    import_file=extend_schema(
        summary=gettext_lazy("Import the one-stop system's export (CSV or XLSX)"),
        description=gettext_lazy(
            "Every row is checked; the file is imported only if every row is good (nothing "
            "otherwise, 400 with the bad rows). A dossier imported again (same agency and code) "
            "is updated. With dry_run=1 nothing is saved. A file of more than IMPORT_SYNC_ROWS "
            "rows is imported in the background: 202 with the job (imports/jobs/{id}/)."
        ),
        parameters=[DossierImportQuerySerializer],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: DossierCheckSerializer,
            201: DossierImportResultSerializer,
            202: ImportJobSerializer,
            400: ImportRejectedSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    ),
    batch=extend_schema(
        summary=gettext_lazy("A one-stop system pushes dossiers (JSON)"),
        description=gettext_lazy(
            "Up to 5,000 dossiers per request, keyed like the file's columns; moments in ISO "
            "8601 with their offset. All or none, like a file; a dossier pushed again is "
            "updated. For a system account with a token (Authorization: Token …)."
        ),
        request=DossierPushSerializer,
        responses={
            201: DossierImportResultSerializer,
            400: ImportRejectedSerializer,
            403: ErrorSerializer,
        },
    ),
)
class DossierViewSet(ApiViewSet):
    serializer_class = DossierSerializer

    def list(self, request):
        filters = self.query(DossierFilterSerializer)
        return self.paginated(
            selectors.dossier_list(user=request.user, **filters), DossierSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.dossier_get(user=request.user, pk=pk), DossierSerializer)

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        query = self.query(DossierImportQuerySerializer)
        upload = self.body(ImportUploadSerializer)["file"]
        agency = query.get("agency") or _default_agency(request)
        content = upload.read()
        dry_run = query.get("dry_run", False)
        if estimate_rows(upload.name, content) > sync_rows():
            batch = services.dossier_import_start(
                actor=request.user,
                agency=agency,
                filename=upload.name,
                content=content,
                apply=not dry_run,
            )
            data = ImportJobSerializer(batch, context={"request": request}).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        result = services.dossiers_import_file(
            actor=request.user,
            agency=agency,
            filename=upload.name,
            content=content,
            apply=not dry_run,
        )
        if dry_run:
            return Response(
                {
                    "ok": result.ok,
                    "rows": result.rows,
                    "error_count": result.error_count,
                    "errors": RowErrorSerializer(result.errors, many=True).data,
                }
            )
        if not result.ok:
            return _rejected(result)
        return Response(_load_result(result), status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"], parser_classes=[DepthLimitedJSONParser])
    def batch(self, request):
        data = self.body(DossierPushSerializer)
        agency = data.get("agency") or _default_agency(request)
        result = services.dossiers_push(
            actor=request.user, agency=agency, records=[dict(r) for r in data["dossiers"]]
        )
        if not result.ok:
            return _rejected(result)
        return Response(_load_result(result), status=status.HTTP_201_CREATED)


def _figures(row: dict) -> dict:
    figures = kpis.Figures.of(row)
    return {
        "received": figures.received,
        "finished": figures.finished,
        "on_time": figures.on_time,
        "late": figures.late,
        "in_progress": figures.in_progress,
        "overdue": figures.overdue,
        "on_time_rate": float(figures.rate) if figures.rate is not None else None,
    }


class DossierStatsViewSet(ApiViewSet):
    """The monthly figures of the one-stop dossiers, grouped."""

    serializer_class = StatsRowSerializer

    @extend_schema(
        summary=gettext_lazy("The dossier figures: received, finished, on time, late, overdue"),
        description=gettext_lazy(
            "group_by month (default), procedure, agency (the ranking: best rate first), tier "
            "or channel; for an agency or a subtree (root), a procedure, a channel, a range of "
            "months (default: the last twelve). From the pre-aggregated monthly tables only."
        ),
        parameters=[StatsFilterSerializer],
        responses={200: StatsRowSerializer(many=True), 400: ErrorSerializer},
    )
    def list(self, request):
        filters = self.query(StatsFilterSerializer)
        group = filters.pop("group_by", "month")
        start, end = kpis.default_range(timezone.localdate())
        filters.setdefault("month_from", start)
        filters.setdefault("month_to", end)
        scope = {"user": request.user, **filters}
        if group == "procedure":
            rows = kpis.by_procedure(**scope)
            mapper = lambda r: {  # noqa: E731
                "procedure_code": r["procedure__code"],
                "procedure_name": r["procedure__name"],
                **_figures(r),
            }
        elif group == "agency":
            rows = kpis.by_agency(**scope)
            mapper = lambda r: {  # noqa: E731
                "agency": r["agency_id"],
                "agency_code": r["agency__code"],
                "agency_name": r["agency__name"],
                "tier": r["agency__tier"],
                **_figures(r),
            }
        elif group == "tier":
            labels = {t.value for t in Tier}
            rows = [
                {"tier": t.tier, **_figures({f"n_{k}": getattr(t.figures, k) for k in (
                    "received", "finished", "on_time", "late", "in_progress", "overdue")})}
                for t in kpis.by_tier(**scope)
                if t.tier in labels
            ]  # fmt: skip
            mapper = None
        elif group == "channel":
            rows = kpis.by_channel(**scope)
            mapper = lambda r: {"channel": r["channel"], **_figures(r)}  # noqa: E731
        else:
            rows = kpis.by_month(**scope)
            mapper = lambda r: {"month": r["month"].strftime("%Y-%m"), **_figures(r)}  # noqa: E731
        page = self.paginate_queryset(rows)
        data = [mapper(r) if mapper else r for r in page]
        return self.get_paginated_response(StatsRowSerializer(data, many=True).data)
