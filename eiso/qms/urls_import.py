"""The onboarding import (mounted at /qms-import/ by config/urls.py)."""

from django.urls import path

from eiso.core.views_imports import ImportSampleView
from eiso.qms import views_import
from eiso.qms.imports import AnnouncementImporter

urlpatterns = [
    path("", views_import.AnnouncementImportView.as_view(), name="qms_import"),
    path(
        "sample.xlsx",
        ImportSampleView.as_view(),
        {"kind": AnnouncementImporter.kind},
        name="qms_import_sample",
    ),
]
