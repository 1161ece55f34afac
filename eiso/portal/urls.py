"""The public portal, under /public/ (no sign-in). Paths in Vietnamese without accents: they
are read aloud and printed on posters."""

from django.urls import path

from eiso.portal.views import forms, public

app_name = "portal"
urlpatterns = [
    path("", public.home, name="home"),
    path("thong-ke/", public.statistics, name="statistics"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("co-quan/<str:code>/", public.agency, name="agency"),
    path(
        "co-quan/<str:code>/thu-tuc/<str:procedure_code>/",
        public.procedure,
        name="procedure",
    ),
    path("co-quan/<str:code>/phan-anh/", forms.complaint, name="complaint"),
    path("cong-bo/<int:pk>/quyet-dinh/", public.announcement_file, name="announcement_file"),
    path("tep/<int:pk>/", public.revision_file, name="file"),
    path("danh-gia/<str:code>/", forms.rating, name="rating"),
    path("danh-gia/<str:code>/quay/<int:desk>/", forms.rating, name="rating_desk"),
    path("danh-gia/<str:code>/cam-on/", forms.rating_thanks, name="rating_thanks"),
    path("tra-cuu/", forms.tracking, name="tracking"),
    path("tra-cuu/<str:code>/", forms.tracking_detail, name="tracking_detail"),
]
