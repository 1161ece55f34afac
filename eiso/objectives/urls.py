from django.urls import path

from eiso.objectives.views import evaluation, objectives, sets

app_name = "objectives"
urlpatterns = [
    path("", objectives.ObjectiveListView.as_view(), name="list"),
    path("year/", sets.YearView.as_view(), name="year"),
    path("years/", sets.SetListView.as_view(), name="set_list"),
    path("years/new/", sets.SetCreateView.as_view(), name="set_create"),
    path("sets/<int:pk>/", sets.SetDetailView.as_view(), name="set_detail"),
    path("sets/<int:pk>/edit/", sets.SetUpdateView.as_view(), name="set_update"),
    path("sets/<int:pk>/submit/", sets.SetSubmitView.as_view(), name="set_submit"),
    path("sets/<int:pk>/return/", sets.SetReturnView.as_view(), name="set_return"),
    path("sets/<int:pk>/approve/", sets.SetApproveView.as_view(), name="set_approve"),
    path("sets/<int:pk>/issue/", sets.SetIssueView.as_view(), name="set_issue"),
    path("sets/<int:pk>/amend/", sets.SetAmendView.as_view(), name="set_amend"),
    path("sets/<int:pk>/delete/", sets.SetDeleteView.as_view(), name="set_delete"),
    path("sets/<int:pk>/docx/", sets.SetFileView.as_view(file_format="docx"), name="set_docx"),
    path("sets/<int:pk>/pdf/", sets.SetFileView.as_view(file_format="pdf"), name="set_pdf"),
    path("sets/<int:pk>/add/", objectives.ObjectiveCreateView.as_view(), name="create"),
    path("<int:pk>/", objectives.ObjectiveDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", objectives.ObjectiveUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", objectives.ObjectiveDeleteView.as_view(), name="delete"),
    path("<int:pk>/actions/add/", objectives.PlanActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/edit/", objectives.PlanActionUpdateView.as_view(), name="action_update"),
    path(
        "actions/<int:pk>/delete/", objectives.PlanActionDeleteView.as_view(), name="action_delete"
    ),
    path("<int:pk>/measure/", objectives.MeasurementRecordView.as_view(), name="measure"),
    path("<int:pk>/compute/", objectives.MeasurementComputeView.as_view(), name="compute"),
    path("measurements/<int:pk>/evidence/", objectives.EvidenceView.as_view(), name="evidence"),
    path("evaluation/", evaluation.EvaluationView.as_view(), name="evaluation"),
    path("evaluation/reports/", evaluation.ReportListView.as_view(), name="report_list"),
    path(
        "evaluation/<int:pk>/finalize/",
        evaluation.EvaluationFinalizeView.as_view(),
        name="evaluation_finalize",
    ),
    path(
        "evaluation/<int:pk>/docx/",
        evaluation.EvaluationFileView.as_view(file_format="docx"),
        name="evaluation_docx",
    ),
    path(
        "evaluation/<int:pk>/pdf/",
        evaluation.EvaluationFileView.as_view(file_format="pdf"),
        name="evaluation_pdf",
    ),
    path("overview/", evaluation.OverviewView.as_view(), name="overview"),
    path("import/", sets.ObjectiveImportView.as_view(), name="import"),
]
