from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from eiso.api.views.accounts import MembershipViewSet, UserViewSet
from eiso.api.views.audit import AuditEventViewSet
from eiso.api.views.documents import (
    DecisionViewSet,
    DocumentViewSet,
    ExternalDocumentViewSet,
    MasterListFileViewSet,
    MasterListReviewViewSet,
    MasterListViewSet,
    RevisionFileViewSet,
    RevisionTaskViewSet,
    RevisionViewSet,
)
from eiso.api.views.imports import ImportView
from eiso.api.views.organizations import AgencyViewSet, DepartmentViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("agencies", AgencyViewSet, basename="agency")
router.register("departments", DepartmentViewSet, basename="department")
router.register("users", UserViewSet, basename="user")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("documents", DocumentViewSet, basename="document")
router.register("revisions", RevisionViewSet, basename="revision")
router.register("revision-files", RevisionFileViewSet, basename="revision-file")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("master-list-reviews", MasterListReviewViewSet, basename="master-list-review")
router.register("external-documents", ExternalDocumentViewSet, basename="external-document")
router.register("revision-tasks", RevisionTaskViewSet, basename="revision-task")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("imports/<str:kind>/", ImportView.as_view(), name="import"),
    # One answer per agency (the list and its review status), so not a router list.
    path(
        "master-list/",
        MasterListViewSet.as_view({"get": "master_list"}),
        name="master-list",
    ),
    path(
        "master-list/docx/",
        MasterListFileViewSet.as_view({"get": "docx"}),
        name="master-list-docx",
    ),
    path(
        "master-list/pdf/",
        MasterListFileViewSet.as_view({"get": "pdf"}),
        name="master-list-pdf",
    ),
    *router.urls,
]
