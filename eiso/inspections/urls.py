from django.urls import path

from eiso.inspections.views import inspections, mine, plans

app_name = "inspections"
urlpatterns = [
    path("", inspections.InspectionListView.as_view(), name="list"),
    path("mine/", mine.MyInspectionsView.as_view(), name="mine"),
    # plans
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.PlanUpdateView.as_view(), name="plan_update"),
    path("plans/<int:pk>/agencies/add/", plans.AgencyAddView.as_view(), name="agency_add"),
    path("plans/<int:pk>/agencies/pick/", plans.AgencyPickView.as_view(), name="agency_pick"),
    path("plans/<int:pk>/agencies/import/", plans.AgencyImportView.as_view(), name="agency_import"),
    path("plans/<int:pk>/approve/", plans.ApproveView.as_view(), name="approve"),
    path("plans/<int:pk>/team/add/", plans.TeamAddView.as_view(), name="team_add"),
    path("plans/<int:pk>/team/decision/", plans.TeamDecisionView.as_view(), name="team_decision"),
    path("team/<int:pk>/remove/", plans.TeamRemoveView.as_view(), name="team_remove"),
    path("plans/<int:pk>/attach/<str:which>/", plans.AttachView.as_view(), name="attach"),
    path(
        "plans/<int:pk>/file/<str:which>/", plans.DecisionFileView.as_view(), name="decision_file"
    ),
    path("plans/<int:pk>/summary/", plans.SummaryView.as_view(), name="summary"),
    path("plans/<int:pk>/complete/", plans.CompleteView.as_view(), name="complete"),
    path(
        "plans/<int:pk>/summary.docx",
        plans.SummaryFileView.as_view(file_format="docx"),
        name="summary_docx",
    ),
    path(
        "plans/<int:pk>/summary.pdf",
        plans.SummaryFileView.as_view(file_format="pdf"),
        name="summary_pdf",
    ),
    path(
        "plans/<int:pk>/summary.xlsx",
        plans.SummaryFileView.as_view(file_format="xlsx"),
        name="summary_xlsx",
    ),
    # the agencies of a plan, as the plan's keepers change them
    path("visits/<int:pk>/edit/", plans.VisitUpdateView.as_view(), name="visit_update"),
    path("visits/<int:pk>/remove/", plans.AgencyRemoveView.as_view(), name="agency_remove"),
    # one agency's inspection
    path("<int:pk>/", inspections.InspectionDetailView.as_view(), name="detail"),
    path("<int:pk>/checklist/", inspections.ChecklistView.as_view(), name="checklist"),
    path("<int:pk>/start/", inspections.StartView.as_view(), name="start"),
    path("<int:pk>/refresh/", inspections.RefreshView.as_view(), name="refresh"),
    path("answers/<int:pk>/", inspections.AnswerView.as_view(), name="answer"),
    path("<int:pk>/findings/add/", inspections.FindingAddView.as_view(), name="finding_add"),
    path("<int:pk>/conclude/", inspections.ConcludeView.as_view(), name="conclude"),
    path("<int:pk>/record/attach/", inspections.RecordAttachView.as_view(), name="record_attach"),
    path(
        "<int:pk>/record.docx",
        inspections.RecordFileView.as_view(file_format="docx"),
        name="record_docx",
    ),
    path(
        "<int:pk>/record.pdf",
        inspections.RecordFileView.as_view(file_format="pdf"),
        name="record_pdf",
    ),
    path("<int:pk>/files/<str:which>/", inspections.StoredFileView.as_view(), name="file"),
    path("<int:pk>/remediation/", inspections.RemediationView.as_view(), name="remediation"),
    path("<int:pk>/return/", inspections.ReturnView.as_view(), name="return"),
    path("<int:pk>/close/", inspections.CloseView.as_view(), name="close"),
]
