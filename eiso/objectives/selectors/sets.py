"""Reads of the objectives of the years: every revision with its number of objectives, the
latest and the one in force, what "copy last year" starts from, the framework templates."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from eiso.core.roles import Action
from eiso.core.subqueries import count_of
from eiso.objectives.choices import SetStatus
from eiso.objectives.models import (
    ObjectiveSet,
    ObjectiveTemplate,
    QualityObjective,
)
from eiso.objectives.selectors._common import _get
from eiso.organizations.models import Agency

# --- the objectives of a year ---------------------------------------------------------------


SET_ORDERING = {
    "year": ("year", "agency__path", "revision"),
    "-year": ("-year", "agency__path", "-revision"),
    "agency": ("agency__path", "-year", "-revision"),
    "-agency": ("-agency__path", "-year", "-revision"),
    "decision_date": ("decision_date", "pk"),
    "-decision_date": ("-decision_date", "-pk"),
    "status": ("status", "-year"),
    "-status": ("-status", "-year"),
}


def set_list(
    *,
    user,
    agency: Agency | None = None,
    year: int | None = None,
    status: str = "",
    ordering: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[ObjectiveSet]:
    """The objectives of the years (every revision) the user may see (or change, with
    ``action``), with their number of objectives."""
    qs = (
        ObjectiveSet.objects.visible_to(user, action=action)
        .select_related("agency")
        .annotate(objective_count=count_of(QualityObjective.objects.all(), "objective_set"))
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*SET_ORDERING.get(ordering, SET_ORDERING["-year"]))


def set_get(*, user, pk, action: Action = Action.VIEW) -> ObjectiveSet:
    return _get(
        ObjectiveSet.objects.visible_to(user, action=action)
        .select_related(
            "agency", "agency__parent", "submitted_by", "approved_by", "issued_by", "created_by"
        )
        .annotate(objective_count=count_of(QualityObjective.objects.all(), "objective_set")),
        pk,
    )


def revisions_of_year(*, user, agency: Agency, year: int) -> list[ObjectiveSet]:
    return list(
        ObjectiveSet.objects.visible_to(user).filter(agency=agency, year=year).order_by("-revision")
    )


def latest_set(*, user, agency: Agency, year: int) -> ObjectiveSet | None:
    return (
        ObjectiveSet.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .order_by("-revision")
        .first()
    )


def in_force_set(*, user, agency: Agency, year: int) -> ObjectiveSet | None:
    return (
        ObjectiveSet.objects.visible_to(user)
        .filter(agency=agency, year=year, status=SetStatus.ISSUED)
        .first()
    )


def last_year_source(*, agency: Agency, year: int) -> ObjectiveSet | None:
    """What "copy last year" starts from: last year's objectives in force (else the latest
    revision of last year). ``agency`` comes from a scoped selector."""
    sets = ObjectiveSet.objects.filter(agency=agency, year=year - 1)
    return sets.filter(status=SetStatus.ISSUED).first() or sets.order_by("-revision").first()


def templates_for(*, agency: Agency) -> QuerySet[ObjectiveTemplate]:
    """The framework model's typical objectives for the agency's kind."""
    return ObjectiveTemplate.objects.filter(kind_id=agency.kind_id).order_by("number")
