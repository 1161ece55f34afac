from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("eiso.dashboard.urls")),
    path("accounts/", include("eiso.accounts.urls")),
    path("agencies/", include("eiso.organizations.urls")),
    path("audit/", include("eiso.core.urls")),
    path("imports/", include("eiso.core.urls_imports")),
    path("jobs/", include("eiso.core.urls_jobs")),
    path("inbox/", include("eiso.core.urls_inbox")),
    path("documents/", include("eiso.documents.urls")),
    path("procedures/", include("eiso.procedures.urls")),
    path("qms/", include("eiso.qms.urls")),
    path("objectives/", include("eiso.objectives.urls")),
    path("risks/", include("eiso.risks.urls")),
    path("records/", include("eiso.records.urls")),
    path("training/", include("eiso.training.urls")),
    path("audits/", include("eiso.audits.urls")),
    path("improvements/", include("eiso.improvements.urls")),
    path("reviews/", include("eiso.reviews.urls")),
    path("feedback/", include("eiso.feedback.urls")),
    path("portal/", include("eiso.portal.urls_manage")),
    path("public/", include("eiso.portal.urls")),
    path("oversight/", include("eiso.oversight.urls")),
    path("cycle/", include("eiso.cycle.urls")),
    path("reports/", include("eiso.reports.urls")),
    path("inspections/", include("eiso.inspections.urls")),
    path("qms-import/", include("eiso.qms.urls_import")),
    path("api/v1/", include("eiso.api.urls")),
]
if settings.DEBUG or settings.DEV_MODE:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "eiso.core.views.page_not_found"
handler500 = "eiso.core.views.server_error"
