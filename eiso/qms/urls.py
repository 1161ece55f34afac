from django.urls import path

from eiso.qms import views

app_name = "qms"
urlpatterns = [
    path("", views.RecordView.as_view(), name="record"),
    path("edit/", views.RecordEditView.as_view(), name="record_edit"),
    path("committee/", views.CommitteeView.as_view(), name="committee"),
    path("committee/<int:pk>/file/", views.CommitteeFileView.as_view(), name="committee_file"),
    path("announcements/", views.AnnouncementListView.as_view(), name="announcements"),
    path("announcements/new/", views.AnnouncementCreateView.as_view(), name="announcement_create"),
    path(
        "announcements/<int:pk>/",
        views.AnnouncementDetailView.as_view(),
        name="announcement_detail",
    ),
    path(
        "announcements/<int:pk>/edit/",
        views.AnnouncementEditView.as_view(),
        name="announcement_edit",
    ),
    path(
        "announcements/<int:pk>/discard/",
        views.AnnouncementDiscardView.as_view(),
        name="announcement_discard",
    ),
    path(
        "announcements/<int:pk>/correct/",
        views.AnnouncementCorrectView.as_view(),
        name="announcement_correct",
    ),
    path(
        "announcements/<int:pk>/return/",
        views.AnnouncementReturnView.as_view(),
        name="announcement_return",
    ),
    path(
        "announcements/<int:pk>/sign/",
        views.AnnouncementSignView.as_view(),
        name="announcement_sign",
    ),
    path(
        "announcements/<int:pk>/scan/upload/",
        views.AnnouncementScanView.as_view(),
        name="announcement_scan_upload",
    ),
    path(
        "announcements/<int:pk>/scan/",
        views.AnnouncementScanDownloadView.as_view(),
        name="announcement_scan",
    ),
    path(
        "announcements/<int:pk>/send/",
        views.AnnouncementSendView.as_view(),
        name="announcement_send",
    ),
    path(
        "announcements/<int:pk>/publish/",
        views.AnnouncementPublishView.as_view(),
        name="announcement_publish",
    ),
    path(
        "announcements/<int:pk>/receive/",
        views.AnnouncementReceiveView.as_view(),
        name="announcement_receive",
    ),
    path(
        "announcements/<int:pk>/docx/",
        views.AnnouncementFileView.as_view(file_format="docx"),
        name="announcement_docx",
    ),
    path(
        "announcements/<int:pk>/pdf/",
        views.AnnouncementFileView.as_view(file_format="pdf"),
        name="announcement_pdf",
    ),
]
