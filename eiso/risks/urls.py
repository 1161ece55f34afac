from django.urls import path

from eiso.risks.views import context, register

app_name = "risks"
urlpatterns = [
    path("", register.RiskListView.as_view(), name="list"),
    path("new/", register.RiskCreateView.as_view(), name="create"),
    path("<int:pk>/", register.RiskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", register.RiskUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", register.RiskDeleteView.as_view(), name="delete"),
    path("<int:pk>/rerate/", register.RiskRerateView.as_view(), name="rerate"),
    path("<int:pk>/review/", register.RiskReviewView.as_view(), name="review"),
    path("<int:pk>/reopen/", register.RiskReopenView.as_view(), name="reopen"),
    path(
        "<int:pk>/treatments/add/", register.TreatmentCreateView.as_view(), name="treatment_create"
    ),
    path(
        "treatments/<int:pk>/edit/", register.TreatmentUpdateView.as_view(), name="treatment_update"
    ),
    path(
        "treatments/<int:pk>/delete/",
        register.TreatmentDeleteView.as_view(),
        name="treatment_delete",
    ),
    path("treatments/<int:pk>/done/", register.TreatmentDoneView.as_view(), name="treatment_done"),
    path(
        "treatments/<int:pk>/evidence/",
        register.TreatmentEvidenceView.as_view(),
        name="treatment_evidence",
    ),
    path("context/", context.IssueListView.as_view(), name="issues"),
    path("context/new/", context.IssueCreateView.as_view(), name="issue_create"),
    path("context/<int:pk>/edit/", context.IssueUpdateView.as_view(), name="issue_update"),
    path("context/<int:pk>/delete/", context.IssueDeleteView.as_view(), name="issue_delete"),
    path("parties/", context.PartyListView.as_view(), name="parties"),
    path("parties/new/", context.PartyCreateView.as_view(), name="party_create"),
    path("parties/<int:pk>/edit/", context.PartyUpdateView.as_view(), name="party_update"),
    path("parties/<int:pk>/delete/", context.PartyDeleteView.as_view(), name="party_delete"),
    path("copy-last-year/", context.CopyLastYearView.as_view(), name="copy_last_year"),
    path("import/", context.RiskImportView.as_view(), name="import"),
    path("report/", context.ReportView.as_view(), name="report"),
    path("report/list/", context.ReportListView.as_view(), name="report_list"),
    path("report/<int:pk>/finalize/", context.ReportFinalizeView.as_view(), name="report_finalize"),
    path(
        "report/<int:pk>/docx/",
        context.ReportFileView.as_view(file_format="docx"),
        name="report_docx",
    ),
    path(
        "report/<int:pk>/pdf/", context.ReportFileView.as_view(file_format="pdf"), name="report_pdf"
    ),
]
