from django.urls import path

from eiso.core.views_imports import ImportSampleView
from eiso.procedures import views
from eiso.procedures.imports import ProcedureImporter

app_name = "procedures"
urlpatterns = [
    path("", views.HandledListView.as_view(), name="handled"),
    path("add/", views.HandledAddView.as_view(), name="handled_add"),
    path("remove/", views.HandledRemoveView.as_view(), name="handled_remove"),
    path("import/", views.HandledImportView.as_view(), name="handled_import"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("catalogue/", views.CatalogueListView.as_view(), name="catalogue"),
    path("catalogue/new/", views.CatalogueCreateView.as_view(), name="catalogue_create"),
    path("catalogue/<int:pk>/edit/", views.CatalogueUpdateView.as_view(), name="catalogue_edit"),
    path("catalogue/import/", views.CatalogueImportView.as_view(), name="catalogue_import"),
    path(
        "catalogue/import/sample.xlsx",
        ImportSampleView.as_view(),
        {"kind": ProcedureImporter.kind},
        name="catalogue_import_sample",
    ),
    path("documents/<int:pk>/steps/", views.StepsView.as_view(), name="steps"),
    path("documents/<int:pk>/steps/edit/", views.StepsEditView.as_view(), name="steps_edit"),
    path("documents/<int:pk>/link/", views.LinkView.as_view(), name="link"),
    path("documents/<int:pk>/unlink/", views.UnlinkView.as_view(), name="unlink"),
]
