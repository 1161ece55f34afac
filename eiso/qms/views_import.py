"""The onboarding import page: QMS status and historic announcements (preview, per-row errors,
all or nothing); its sample file comes from the importer's columns."""

from __future__ import annotations

from django.urls import reverse_lazy

from eiso.core.views import ImportView
from eiso.qms.imports import AnnouncementImporter


class AnnouncementImportView(ImportView):
    import_kind = AnnouncementImporter.kind
    success_url = reverse_lazy("qms_import")
