"""The onboarding import page: QMS status and historic announcements (preview, per-row errors,
all or nothing), with a sample file."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import reverse_lazy
from django.views import View

from eiso.core.exports import xlsx_response
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.views import ImportView
from eiso.qms.imports import AnnouncementImporter


class AnnouncementImportView(ImportView):
    import_kind = AnnouncementImporter.kind
    success_url = reverse_lazy("qms_import")
    sample_url = reverse_lazy("qms_import_sample")


class AnnouncementImportSampleView(LoginRequiredMixin, View):
    """A sample spreadsheet with the expected columns and example rows."""

    def get(self, request) -> HttpResponse:
        if user_scope(request.user, Action.MANAGE_AGENCIES).empty:
            raise Http404
        rows = [
            {
                "agency_code": "SO-TP",
                "standard_version": "2015",
                "qms_status": "Đã công bố",
                "number": "125/QĐ-STP",
                "date": "15/03/2021",
                "kind": "Công bố lần đầu",
                "received_on": "22/03/2021",
            },
            {
                "agency_code": "SO-TP",
                "standard_version": "2015",
                "qms_status": "Đã công bố",
                "number": "48/QĐ-STP",
                "date": "10/06/2024",
                "kind": "Công bố lại",
                "reason": "Mở rộng phạm vi áp dụng",
            },
            {"agency_code": "XA-AN-PHU", "standard_version": "2015", "qms_status": "Đang xây dựng"},
        ]
        columns = [(c.label, lambda r, k=c.key: r.get(k, "")) for c in AnnouncementImporter.columns]
        return xlsx_response(
            filename="mau-nhap-cong-bo-iso.xlsx", title="cong-bo", columns=columns, rows=rows
        )
