from django.urls import path

from eiso.training.views import certificates, courses

app_name = "training"
urlpatterns = [
    path("", courses.CourseListView.as_view(), name="list"),
    path("courses/new/", courses.CourseCreateView.as_view(), name="course_create"),
    path("courses/<int:pk>/", courses.CourseDetailView.as_view(), name="course"),
    path("courses/<int:pk>/edit/", courses.CourseUpdateView.as_view(), name="course_update"),
    path(
        "courses/<int:pk>/sessions/new/", courses.SessionCreateView.as_view(), name="session_create"
    ),
    path("sessions/<int:pk>/", courses.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/edit/", courses.SessionUpdateView.as_view(), name="session_update"),
    path(
        "sessions/<int:pk>/evidence/",
        courses.SessionEvidenceView.as_view(),
        name="session_evidence",
    ),
    path(
        "sessions/<int:pk>/certificates/",
        courses.SessionCertificatesView.as_view(),
        name="session_certificates",
    ),
    path("certificates/", certificates.CertificateListView.as_view(), name="certificates"),
    path(
        "certificates/new/", certificates.CertificateCreateView.as_view(), name="certificate_create"
    ),
    path(
        "certificates/<int:pk>/edit/",
        certificates.CertificateUpdateView.as_view(),
        name="certificate_update",
    ),
    path(
        "certificates/<int:pk>/delete/",
        certificates.CertificateDeleteView.as_view(),
        name="certificate_delete",
    ),
    path(
        "certificates/<int:pk>/file/",
        certificates.CertificateFileView.as_view(),
        name="certificate_file",
    ),
    path("people/<int:pk>/", certificates.PersonView.as_view(), name="person"),
]
