"""Files prepared in the background (mounted at /jobs/ by config/urls.py)."""

from django.urls import path

from eiso.core import views_jobs

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views_jobs.JobView.as_view(), name="detail"),
    path("<int:pk>/progress/", views_jobs.JobProgressView.as_view(), name="progress"),
    path("<int:pk>/download/", views_jobs.JobDownloadView.as_view(), name="download"),
]
