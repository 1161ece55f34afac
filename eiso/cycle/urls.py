from django.urls import path

from eiso.cycle import views

app_name = "cycle"
urlpatterns = [
    path("", views.AgencyObligationsView.as_view(), name="agency"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("reminders/", views.ReminderListView.as_view(), name="reminders"),
    path("rules/", views.RuleSetListView.as_view(), name="rules"),
    path("rules/<int:pk>/", views.RuleSetDetailView.as_view(), name="rule_set"),
    path("rules/<int:pk>/edit/", views.RuleSetUpdateView.as_view(), name="rule_set_edit"),
    path("rules/<int:pk>/copy/", views.RuleSetCopyView.as_view(), name="rule_set_copy"),
    path("rules/<int:pk>/adopt/", views.RuleSetAdoptView.as_view(), name="rule_set_adopt"),
    path("rules/<int:pk>/add/", views.RuleCreateView.as_view(), name="rule_create"),
    path("obligations/<int:pk>/edit/", views.RuleUpdateView.as_view(), name="rule_edit"),
    path("obligations/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
]
