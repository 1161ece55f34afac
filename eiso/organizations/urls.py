from django.urls import path

from eiso.core.views_imports import ImportSampleView
from eiso.organizations import views
from eiso.organizations.imports import AgencyImporter

app_name = "organizations"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("tree/", views.AgencyTreeView.as_view(), name="tree"),
    path("mine/", views.MyAgencyView.as_view(), name="mine"),
    path("new/", views.AgencyCreateView.as_view(), name="create"),
    path("import/", views.AgencyImportView.as_view(), name="import"),
    path("merge/", views.AgencyMergeView.as_view(), name="merge"),
    path("split/", views.AgencySplitView.as_view(), name="split"),
    path(
        "import/sample.xlsx",
        ImportSampleView.as_view(),
        {"kind": AgencyImporter.kind},
        name="import_sample",
    ),
    path("<int:pk>/", views.AgencyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AgencyUpdateView.as_view(), name="edit"),
    path("<int:pk>/deactivate/", views.AgencyDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/reactivate/", views.AgencyReactivateView.as_view(), name="reactivate"),
    path(
        "<int:pk>/departments/new/", views.DepartmentCreateView.as_view(), name="department_create"
    ),
    path(
        "departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department_edit"
    ),
]
