from django.urls import path

from eiso.feedback.views import complaints, ratings

app_name = "feedback"
urlpatterns = [
    path("", ratings.SummaryView.as_view(), name="summary"),
    path("ratings/", ratings.RatingListView.as_view(), name="ratings"),
    path("overview/", ratings.OverviewView.as_view(), name="overview"),
    path("qr/", ratings.QrView.as_view(), name="qr"),
    path("qr/poster.pdf", ratings.PosterView.as_view(), name="poster"),
    path("desks/new/", ratings.DeskCreateView.as_view(), name="desk_create"),
    path("desks/<int:pk>/edit/", ratings.DeskUpdateView.as_view(), name="desk_update"),
    path("desks/<int:pk>/poster.pdf", ratings.PosterView.as_view(), name="desk_poster"),
    path("complaints/", complaints.ComplaintListView.as_view(), name="complaints"),
    path("complaints/new/", complaints.ComplaintCreateView.as_view(), name="complaint_create"),
    path("complaints/<int:pk>/", complaints.ComplaintDetailView.as_view(), name="complaint_detail"),
    path(
        "complaints/<int:pk>/edit/",
        complaints.ComplaintUpdateView.as_view(),
        name="complaint_update",
    ),
    path("complaints/<int:pk>/assign/", complaints.AssignView.as_view(), name="complaint_assign"),
    path("complaints/<int:pk>/answer/", complaints.AnswerView.as_view(), name="complaint_answer"),
    path("complaints/<int:pk>/close/", complaints.CloseView.as_view(), name="complaint_close"),
    path(
        "complaints/<int:pk>/decline/", complaints.DeclineView.as_view(), name="complaint_decline"
    ),
    path("complaints/<int:pk>/reopen/", complaints.ReopenView.as_view(), name="complaint_reopen"),
    path(
        "complaints/<int:pk>/nonconformity/",
        complaints.RaiseNonconformityView.as_view(),
        name="complaint_nonconformity",
    ),
    path("rules/", complaints.RuleListView.as_view(), name="rules"),
]
