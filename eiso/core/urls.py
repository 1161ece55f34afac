from django.urls import path

from eiso.core import views

app_name = "core"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit_list"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/open/",
        views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notifications_read",
    ),
]
