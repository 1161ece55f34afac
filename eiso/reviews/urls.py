from django.urls import path

from eiso.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.ReviewListView.as_view(), name="list"),
    path("new/", views.ReviewCreateView.as_view(), name="create"),
    path("decisions/", views.OutputListView.as_view(), name="outputs"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReviewUpdateView.as_view(), name="update"),
    path("<int:pk>/assemble/", views.AssembleView.as_view(), name="assemble"),
    path("<int:pk>/hold/", views.HoldView.as_view(), name="hold"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/scan/", views.ScanView.as_view(), name="scan"),
    path("<int:pk>/scan/file/", views.ScanDownloadView.as_view(), name="scan_file"),
    path("<int:pk>/minutes.docx", views.MinutesFileView.as_view(file_format="docx"), name="docx"),
    path("<int:pk>/minutes.pdf", views.MinutesFileView.as_view(file_format="pdf"), name="pdf"),
    path("<int:pk>/decisions/add/", views.OutputCreateView.as_view(), name="output_create"),
    path("inputs/<int:pk>/edit/", views.InputUpdateView.as_view(), name="input_update"),
    path("decisions/<int:pk>/edit/", views.OutputUpdateView.as_view(), name="output_update"),
    path("decisions/<int:pk>/delete/", views.OutputDeleteView.as_view(), name="output_delete"),
    path("decisions/<int:pk>/done/", views.OutputDoneView.as_view(), name="output_done"),
]
