"""Shared import pages (mounted at /imports/ by config/urls.py)."""

from django.urls import path

from eiso.core import views_imports

app_name = "imports"
urlpatterns = [
    path("<int:pk>/", views_imports.ImportJobView.as_view(), name="job"),
    path("<int:pk>/progress/", views_imports.ImportJobProgressView.as_view(), name="job_progress"),
    path("<str:kind>/sample.xlsx", views_imports.ImportSampleView.as_view(), name="sample"),
]
