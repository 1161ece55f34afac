"""The onboarding import (mounted at /qms-import/ by config/urls.py)."""

from django.urls import path

from eiso.qms import views_import

urlpatterns = [
    path("", views_import.AnnouncementImportView.as_view(), name="qms_import"),
    path(
        "sample.xlsx", views_import.AnnouncementImportSampleView.as_view(), name="qms_import_sample"
    ),
]
