from django.urls import path

from eiso.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.HomeView.as_view(), name="home")]
