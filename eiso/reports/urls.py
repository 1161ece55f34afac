from django.urls import path

from eiso.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.AnnualListView.as_view(), name="annual_list"),
    path("annual/new/", views.AnnualStartView.as_view(), name="annual_start"),
    path("annual/<int:pk>/", views.AnnualDetailView.as_view(), name="annual_detail"),
    path("annual/<int:pk>/edit/", views.AnnualUpdateView.as_view(), name="annual_edit"),
    path(
        "annual/<int:pk>/regenerate/",
        views.AnnualRegenerateView.as_view(),
        name="annual_regenerate",
    ),
    path("annual/<int:pk>/approve/", views.AnnualApproveView.as_view(), name="annual_approve"),
    path("annual/<int:pk>/reopen/", views.AnnualReopenView.as_view(), name="annual_reopen"),
    path("annual/<int:pk>/submit/", views.AnnualSubmitView.as_view(), name="annual_submit"),
    path("annual/<int:pk>/receive/", views.AnnualReceiveView.as_view(), name="annual_receive"),
    path("annual/<int:pk>/return/", views.AnnualReturnView.as_view(), name="annual_return"),
    path("annual/<int:pk>/correct/", views.AnnualCorrectView.as_view(), name="annual_correct"),
    path("annual/<int:pk>/signed/", views.AnnualSignedFileView.as_view(), name="annual_file"),
    path(
        "annual/<int:pk>/report.docx",
        views.AnnualFileView.as_view(file_format="docx"),
        name="annual_docx",
    ),
    path(
        "annual/<int:pk>/report.pdf",
        views.AnnualFileView.as_view(file_format="pdf"),
        name="annual_pdf",
    ),
    path("province/", views.ProvincialListView.as_view(), name="provincial_list"),
    path("province/new/", views.ProvincialStartView.as_view(), name="provincial_start"),
    path("province/<int:pk>/", views.ProvincialDetailView.as_view(), name="provincial_detail"),
    path("province/<int:pk>/edit/", views.ProvincialUpdateView.as_view(), name="provincial_edit"),
    path(
        "province/<int:pk>/submit/",
        views.ProvincialSubmitView.as_view(),
        name="provincial_submit",
    ),
    path(
        "province/<int:pk>/correct/",
        views.ProvincialCorrectView.as_view(),
        name="provincial_correct",
    ),
    path(
        "province/<int:pk>/signed/",
        views.ProvincialSignedFileView.as_view(),
        name="provincial_file",
    ),
    path(
        "province/<int:pk>/report.docx",
        views.ProvincialFileView.as_view(file_format="docx"),
        name="provincial_docx",
    ),
    path(
        "province/<int:pk>/report.pdf",
        views.ProvincialFileView.as_view(file_format="pdf"),
        name="provincial_pdf",
    ),
    path(
        "province/<int:pk>/report.xlsx",
        views.ProvincialFileView.as_view(file_format="xlsx"),
        name="provincial_xlsx",
    ),
    path("transition/", views.TransitionView.as_view(), name="transition"),
]
