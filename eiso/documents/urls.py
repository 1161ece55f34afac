from django.urls import path

from eiso.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("new/", views.DocumentCreateView.as_view(), name="create"),
    path("templates/", views.TemplateAdoptView.as_view(), name="templates"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="edit"),
    path("<int:pk>/withdraw/", views.DocumentWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/revisions/new/", views.RevisionStartView.as_view(), name="revision_start"),
    path("revisions/<int:pk>/edit/", views.RevisionEditView.as_view(), name="revision_edit"),
    path("revisions/<int:pk>/upload/", views.RevisionUploadView.as_view(), name="revision_upload"),
    path("revisions/<int:pk>/submit/", views.RevisionSubmitView.as_view(), name="revision_submit"),
    path("revisions/<int:pk>/return/", views.RevisionReturnView.as_view(), name="revision_return"),
    path(
        "revisions/<int:pk>/approve/", views.RevisionApproveView.as_view(), name="revision_approve"
    ),
    path("revisions/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("files/<int:pk>/", views.FileDownloadView.as_view(), name="file_download"),
    path("files/<int:pk>/remove/", views.FileRemoveView.as_view(), name="file_remove"),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/edit/", views.DecisionUpdateView.as_view(), name="decision_edit"),
    path("decisions/<int:pk>/sign/", views.DecisionSignView.as_view(), name="decision_sign"),
    path(
        "decisions/<int:pk>/discard/", views.DecisionDiscardView.as_view(), name="decision_discard"
    ),
    path(
        "decisions/<int:pk>/scan/upload/",
        views.DecisionScanUploadView.as_view(),
        name="decision_scan_upload",
    ),
    path(
        "decisions/<int:pk>/scan/", views.DecisionScanDownloadView.as_view(), name="decision_scan"
    ),
    path(
        "decisions/<int:pk>/docx/",
        views.DecisionFileView.as_view(file_format="docx"),
        name="decision_docx",
    ),
    path(
        "decisions/<int:pk>/pdf/",
        views.DecisionFileView.as_view(file_format="pdf"),
        name="decision_pdf",
    ),
    path("master-list/", views.MasterListView.as_view(), name="master_list"),
    path(
        "master-list/docx/",
        views.MasterListFileView.as_view(file_format="docx"),
        name="master_list_docx",
    ),
    path(
        "master-list/pdf/",
        views.MasterListFileView.as_view(file_format="pdf"),
        name="master_list_pdf",
    ),
    path("external/", views.ExternalListView.as_view(), name="external_list"),
    path("external/new/", views.ExternalCreateView.as_view(), name="external_create"),
    path("external/<int:pk>/", views.ExternalDetailView.as_view(), name="external_detail"),
    path("external/<int:pk>/edit/", views.ExternalUpdateView.as_view(), name="external_edit"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
]
