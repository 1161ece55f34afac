"""Reads of management reviews: the list with the outputs counted (one query), a review's pack
and outputs, the outputs list, what waits on a person (the inbox)."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.subqueries import count_rows
from eiso.reviews.choices import ReviewStatus
from eiso.reviews.models import ManagementReview, ReviewInput, ReviewOutput


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


REVIEW_ORDERING = {
    "date": ("meeting_date", "pk"),
    "-date": ("-meeting_date", "-pk"),
    "status": ("status", "-meeting_date"),
}


def review_list(
    *, user, agency=None, year=None, status: str = "", ordering: str = "", today=None
) -> QuerySet[ManagementReview]:
    today = today or timezone.localdate()
    outputs = ReviewOutput.objects.filter(review=OuterRef("pk"))
    qs = (
        ManagementReview.objects.visible_to(user)
        .select_related("agency", "chair")
        .annotate(
            output_count=count_rows(outputs, "review"),
            outputs_done=count_rows(outputs.filter(done_on__isnull=False), "review"),
            outputs_overdue=count_rows(
                outputs.filter(done_on__isnull=True, due_date__lt=today), "review"
            ),
        )
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*REVIEW_ORDERING.get(ordering, REVIEW_ORDERING["-date"]))


def review_get(*, user, pk, action: Action = Action.VIEW) -> ManagementReview:
    return _get(
        ManagementReview.objects.visible_to(user, action=action).select_related(
            "agency", "agency__parent", "chair"
        ),
        pk,
    )


def inputs_of(*, user, review) -> QuerySet[ReviewInput]:
    return (
        ReviewInput.objects.visible_to(user)
        .filter(review=review)
        .select_related("edited_by")
        .order_by("order")
    )


def input_get(*, user, pk, action: Action = Action.VIEW) -> ReviewInput:
    return _get(
        ReviewInput.objects.visible_to(user, action=action).select_related(
            "review", "review__agency"
        ),
        pk,
    )


def outputs_of(*, user, review) -> QuerySet[ReviewOutput]:
    return (
        ReviewOutput.objects.visible_to(user)
        .filter(review=review)
        .select_related("owner", "agency")
        .order_by("number")
    )


def output_get(*, user, pk, action: Action = Action.VIEW) -> ReviewOutput:
    return _get(
        ReviewOutput.objects.visible_to(user, action=action).select_related(
            "review", "agency", "owner"
        ),
        pk,
    )


def output_list(
    *, user, agency=None, state: str = "", kind: str = "", q: str = "", today=None
) -> QuerySet[ReviewOutput]:
    """Decisions of the reviews; ``state``: "open", "overdue", "done"."""
    today = today or timezone.localdate()
    qs = ReviewOutput.objects.visible_to(user).select_related("agency", "review", "owner")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(done_on__isnull=True)
    elif state == "overdue":
        qs = qs.filter(done_on__isnull=True, due_date__lt=today)
    elif state == "done":
        qs = qs.filter(done_on__isnull=False)
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(result__icontains=q))
    return qs.order_by("due_date", "pk")


# --- the inbox --------------------------------------------------------------------------------


def outputs_due(*, user, today: datetime.date, within_days: int, limit: int):
    """Decisions owned by ``user``, not done, due by ``today + within_days``."""
    return list(
        ReviewOutput.objects.visible_to(user)
        .filter(
            owner=user,
            done_on__isnull=True,
            review__status__in=(ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED),
            due_date__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("review", "agency")
        .order_by("due_date", "pk")[:limit]
    )


def outputs_overdue_in(*, user, agencies, today: datetime.date, limit: int):
    if not agencies:
        return []
    return list(
        ReviewOutput.objects.visible_to(user)
        .filter(agency__in=agencies, done_on__isnull=True, due_date__lt=today)
        .exclude(owner=user)
        .select_related("review", "agency", "owner")
        .order_by("due_date", "pk")[:limit]
    )


def reviews_waiting(*, user, agencies, today: datetime.date, within_days: int, limit: int):
    """Meetings of ``agencies`` to prepare (planned, within ``within_days``) or to record (held,
    minutes not issued)."""
    if not agencies:
        return []
    soon = today + datetime.timedelta(days=within_days)
    return list(
        ManagementReview.objects.visible_to(user)
        .filter(agency__in=agencies)
        .filter(
            Q(status=ReviewStatus.PLANNED, meeting_date__lte=soon) | Q(status=ReviewStatus.HELD)
        )
        .select_related("agency")
        .order_by("meeting_date", "pk")[:limit]
    )


def with_outputs(queryset: QuerySet[ManagementReview]) -> QuerySet[ManagementReview]:
    return queryset.prefetch_related(
        Prefetch("outputs", queryset=ReviewOutput.objects.order_by("number"))
    )
