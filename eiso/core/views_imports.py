"""Pages every importer shares: its sample file (made from its columns) and the page of a
background import job (progress polled with htmx, then the result)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from eiso.core import imports, selectors
from eiso.core.errors import ApplicationError
from eiso.core.exports import XLSX_TYPE


def _acting_agency(request):
    membership = getattr(request, "membership", None)
    return membership.agency if membership else None


def _importer_or_404(request, kind: str) -> imports.Importer:
    try:
        importer = imports.importer_for(kind)
        importer.check_permission(actor=request.user, agency=_acting_agency(request))
    except ApplicationError:
        raise Http404 from None
    return importer


class ImportSampleView(LoginRequiredMixin, View):
    """The sample spreadsheet of an importer (for those who may use it; others: 404)."""

    def get(self, request, kind: str) -> HttpResponse:
        importer = _importer_or_404(request, kind)
        if not importer.sample_rows:
            raise Http404
        response = HttpResponse(imports.sample_xlsx(importer), content_type=XLSX_TYPE)
        filename = importer.sample_filename or f"mau-nhap-{kind}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ImportJobView(LoginRequiredMixin, TemplateView):
    """A background import: its progress while it runs, then the rows checked, every error,
    and — for a checked file with no error — the button that imports it. Only its uploader
    sees it."""

    template_name = "core/import_job.html"

    def load(self, pk):
        self.batch = selectors.import_batch_get(user=self.request.user, pk=pk)
        self.importer = imports.importer_for(self.batch.kind)

    def get_context_data(self, **kwargs):
        batch, importer = self.batch, self.importer
        result = batch.result or {}
        report = imports.report_of(result)
        try:
            back_url = reverse(importer.url_name) if importer.url_name else ""
        except NoReverseMatch:
            back_url = ""
        return super().get_context_data(
            batch=batch,
            importer=importer,
            result=result,
            report=report,
            preview_rows=importer.preview(report),
            file_errors=report.file_errors(),
            back_url=back_url,
            **kwargs,
        )

    def get(self, request, pk):
        self.load(pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        self.load(pk)
        try:
            count = imports.import_apply(actor=request.user, batch=self.batch)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if count is not None:
                messages.success(request, _("Imported %(count)s row(s).") % {"count": count})
        return redirect("imports:job", pk=self.batch.pk)


class ImportJobProgressView(ImportJobView):
    """The progress box, polled by the job page while the job runs; once it has ended the page
    reloads itself to show the result (``HX-Refresh``)."""

    template_name = "core/includes/import_progress.html"
    http_method_names = ["get"]

    def get(self, request, pk):
        self.load(pk)
        response = self.render_to_response(self.get_context_data())
        if not self.batch.running:
            response["HX-Refresh"] = "true"
        return response
