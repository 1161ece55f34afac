from django.urls import path

from eiso.records.views import dossiers, figures, record_types

app_name = "records"
urlpatterns = [
    path("", record_types.RecordTypeListView.as_view(), name="list"),
    path("types/new/", record_types.RecordTypeCreateView.as_view(), name="create"),
    path("types/<int:pk>/edit/", record_types.RecordTypeUpdateView.as_view(), name="update"),
    path("types/<int:pk>/delete/", record_types.RecordTypeDeleteView.as_view(), name="delete"),
    path("keep/", record_types.KeepListView.as_view(), name="keep"),
    path("keep/adopt/", record_types.KeepAdoptView.as_view(), name="keep_adopt"),
    path("keep/docx/", record_types.KeepFileView.as_view(file_format="docx"), name="keep_docx"),
    path("keep/pdf/", record_types.KeepFileView.as_view(file_format="pdf"), name="keep_pdf"),
    path("keep/xlsx/", record_types.KeepFileView.as_view(file_format="xlsx"), name="keep_xlsx"),
    path("dossiers/", dossiers.DossierListView.as_view(), name="dossier_list"),
    path("dossiers/late/", dossiers.LateListView.as_view(), name="late_list"),
    path("dossiers/import/", dossiers.DossierImportView.as_view(), name="dossier_import"),
    path("dossiers/<int:pk>/", dossiers.DossierDetailView.as_view(), name="dossier_detail"),
    path("figures/", figures.ProcedureFiguresView.as_view(), name="figures"),
    path(
        "figures/procedures/<int:pk>/",
        figures.ProcedureMonthsView.as_view(),
        name="procedure_figures",
    ),
    path("figures/months/", figures.MonthFiguresView.as_view(), name="month_figures"),
    path("figures/agencies/", figures.AgencyFiguresView.as_view(), name="agency_figures"),
    path("figures/tiers/", figures.TierFiguresView.as_view(), name="tier_figures"),
]
