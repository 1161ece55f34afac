from django.urls import path

from eiso.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.RegistryView.as_view(), name="registry"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("summary/docx/", views.SummaryDocxView.as_view(), name="summary_docx"),
    path("reminders/", views.ReminderListView.as_view(), name="reminders"),
]
