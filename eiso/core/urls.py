from django.urls import path

from eiso.core import views

app_name = "core"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit_list"),
]
