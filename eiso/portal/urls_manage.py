"""The agency's side of the portal (signed in): what is public."""

from django.urls import path

from eiso.portal.views import manage

app_name = "publications"
urlpatterns = [
    path("", manage.ProcedurePublicationsView.as_view(), name="procedures"),
    path("documents/", manage.DocumentPublicationsView.as_view(), name="documents"),
    path(
        "procedures/<int:pk>/publish/",
        manage.ProcedurePublishView.as_view(),
        name="procedure_publish",
    ),
    path(
        "documents/<int:pk>/publish/",
        manage.DocumentPublishView.as_view(),
        name="document_publish",
    ),
]
