from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from eiso.api.views.accounts import MembershipViewSet, UserViewSet
from eiso.api.views.audit import AuditEventViewSet
from eiso.api.views.imports import ImportView
from eiso.api.views.organizations import AgencyViewSet, DepartmentViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("agencies", AgencyViewSet, basename="agency")
router.register("departments", DepartmentViewSet, basename="department")
router.register("users", UserViewSet, basename="user")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("imports/<str:kind>/", ImportView.as_view(), name="import"),
    *router.urls,
]
