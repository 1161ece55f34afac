from django.urls import path

from eiso.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/ranking/", views.RankingView.as_view(), name="ranking"),
    path("dashboard/inspected/", views.InspectedView.as_view(), name="inspected"),
    path("dashboard/agency/<int:pk>/", views.AgencyView.as_view(), name="agency"),
    path("dashboard/formula/", views.FormulaView.as_view(), name="formula"),
    path("dashboard/formula/new/", views.FormulaCreateView.as_view(), name="formula_create"),
]
