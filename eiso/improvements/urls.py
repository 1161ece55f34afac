from django.urls import path

from eiso.improvements.views import actions, records

app_name = "improvements"
urlpatterns = [
    path("", records.NonconformityListView.as_view(), name="list"),
    path("new/", records.NonconformityRaiseView.as_view(), name="raise"),
    path(
        "from-objective/<int:pk>/",
        records.RaiseFromObjectiveView.as_view(),
        name="raise_from_objective",
    ),
    path("overview/", records.OverviewView.as_view(), name="overview"),
    path("<int:pk>/", records.NonconformityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", records.NonconformityUpdateView.as_view(), name="update"),
    path("<int:pk>/cause/", records.CauseView.as_view(), name="cause"),
    path("<int:pk>/actions/add/", records.ActionCreateView.as_view(), name="action_create"),
    path("<int:pk>/submit/", records.PlanSubmitView.as_view(), name="submit_plan"),
    path("<int:pk>/approve/", records.PlanApproveView.as_view(), name="approve_plan"),
    path("<int:pk>/return/", records.PlanReturnView.as_view(), name="return_plan"),
    path("<int:pk>/verify/", records.VerifyView.as_view(), name="verify"),
    path("<int:pk>/close/", records.CloseView.as_view(), name="close"),
    path("<int:pk>/reopen/", records.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/evidence/", records.NonconformityEvidenceView.as_view(), name="evidence"),
    path("<int:pk>/docx/", records.FormFileView.as_view(file_format="docx"), name="form_docx"),
    path("<int:pk>/pdf/", records.FormFileView.as_view(file_format="pdf"), name="form_pdf"),
    path("actions/", actions.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/edit/", actions.ActionUpdateView.as_view(), name="action_update"),
    path("actions/<int:pk>/delete/", actions.ActionDeleteView.as_view(), name="action_delete"),
    path("actions/<int:pk>/done/", actions.ActionDoneView.as_view(), name="action_done"),
    path(
        "actions/<int:pk>/evidence/",
        actions.ActionEvidenceView.as_view(),
        name="action_evidence",
    ),
]
