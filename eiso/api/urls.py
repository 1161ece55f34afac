from django.urls import path
from rest_framework.routers import SimpleRouter

from eiso.api.views.accounts import MembershipViewSet, UserViewSet
from eiso.api.views.audit import AuditEventViewSet
from eiso.api.views.audits import AuditProgrammeViewSet, AuditViewSet
from eiso.api.views.cycle import ObligationRuleViewSet, ObligationViewSet
from eiso.api.views.dashboard import DashboardViewSet
from eiso.api.views.docs import SchemaView, SwaggerUIView
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
from eiso.api.views.feedback import (
    ComplaintViewSet,
    PublicRatingViewSet,
    PublicTrackingViewSet,
    RatingViewSet,
)
from eiso.api.views.imports import ImportJobView, ImportView
from eiso.api.views.improvements import NonconformityViewSet
from eiso.api.views.inbox import InboxViewSet
from eiso.api.views.inspections import InspectionPlanViewSet, InspectionViewSet
from eiso.api.views.objectives import ObjectiveSetViewSet, ObjectiveViewSet
from eiso.api.views.organizations import AgencyViewSet, DepartmentViewSet
from eiso.api.views.oversight import OversightViewSet
from eiso.api.views.procedures import (
    CoverageViewSet,
    DocumentStepsViewSet,
    HandledProcedureViewSet,
    ProcedureViewSet,
)
from eiso.api.views.qms import AnnouncementViewSet, CommitteeDecisionViewSet, QmsViewSet
from eiso.api.views.records import DossierStatsViewSet, DossierViewSet, RecordTypeViewSet
from eiso.api.views.reports import AnnualReportViewSet, ProvincialReportViewSet
from eiso.api.views.reviews import ManagementReviewViewSet
from eiso.api.views.risks import (
    ContextIssueViewSet,
    InterestedPartyViewSet,
    RiskViewSet,
    TreatmentViewSet,
)
from eiso.api.views.training import CertificateViewSet, CourseViewSet

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
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("handled-procedures", HandledProcedureViewSet, basename="handled-procedure")
router.register("coverage", CoverageViewSet, basename="coverage")
router.register("announcements", AnnouncementViewSet, basename="announcement")
router.register("committee-decisions", CommitteeDecisionViewSet, basename="committee-decision")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("objective-sets", ObjectiveSetViewSet, basename="objective-set")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("context-issues", ContextIssueViewSet, basename="context-issue")
router.register("interested-parties", InterestedPartyViewSet, basename="interested-party")
router.register("risks", RiskViewSet, basename="risk")
router.register("treatments", TreatmentViewSet, basename="treatment")
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("obligation-rules", ObligationRuleViewSet, basename="obligation-rule")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("provincial-reports", ProvincialReportViewSet, basename="provincial-report")
router.register("record-types", RecordTypeViewSet, basename="record-type")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("dossier-stats", DossierStatsViewSet, basename="dossier-stats")
router.register("courses", CourseViewSet, basename="course")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("audit-programmes", AuditProgrammeViewSet, basename="audit-programme")
router.register("audits", AuditViewSet, basename="audit")
router.register("nonconformities", NonconformityViewSet, basename="nonconformity")
router.register("management-reviews", ManagementReviewViewSet, basename="management-review")
router.register("feedback", RatingViewSet, basename="rating")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("inspection-plans", InspectionPlanViewSet, basename="inspection-plan")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerUIView.as_view(url_name="api:schema"), name="docs"),
    path("imports/jobs/<int:pk>/", ImportJobView.as_view(), name="import-job"),
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
    # The ISO procedure of a document: its step table and the TTHC it implements.
    path(
        "documents/<int:pk>/steps/",
        DocumentStepsViewSet.as_view({"get": "steps", "put": "replace_steps"}),
        name="document-steps",
    ),
    path(
        "documents/<int:pk>/procedure/",
        DocumentStepsViewSet.as_view({"put": "link", "delete": "unlink"}),
        name="document-procedure",
    ),
    # The overseer's registry and provincial summary of a subtree (``?root=<agency code>``).
    path(
        "oversight/summary/",
        OversightViewSet.as_view({"get": "summary"}),
        name="oversight-summary",
    ),
    path(
        "oversight/registry/",
        OversightViewSet.as_view({"get": "registry"}),
        name="oversight-registry",
    ),
    # The overseer's dashboard of a subtree on a day (``?root=<agency code>&date=``).
    path(
        "dashboard/",
        DashboardViewSet.as_view({"get": "dashboard"}),
        name="dashboard",
    ),
    # The QMS record of one agency (``?agency=<pk>``; default: the agency of the role).
    path(
        "qms/",
        QmsViewSet.as_view({"get": "record", "patch": "update_record"}),
        name="qms",
    ),
    # The public rating form and complaint tracking: no sign-in, rate-limited per address.
    path(
        "public/rating-form/<str:code>/",
        PublicRatingViewSet.as_view({"get": "form"}),
        name="public-rating-form",
    ),
    path("public/ratings/", PublicRatingViewSet.as_view({"post": "create"}), name="public-ratings"),
    path(
        "public/complaints/<str:code>/",
        PublicTrackingViewSet.as_view({"get": "retrieve"}),
        name="public-complaint",
    ),
    *router.urls,
]
