from django.urls import path

from eiso.core import views_inbox

app_name = "inbox"
urlpatterns = [
    path("", views_inbox.InboxView.as_view(), name="list"),
    path("count/", views_inbox.InboxCountView.as_view(), name="count"),
]
