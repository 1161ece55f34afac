"""Composable reads of document control. Two questions are answered here and nowhere else:

- **Which issued revision is in force on a day** (``Revision.objects.in_force(on=day)``): the
  revision of highest number whose effective date has come, unless the document was withdrawn
  by then. A revision issued with a future effective date is "issued, not yet in force" and the
  previous one stays in force until that date; the switch happens on the date because it is
  computed from dates, with nobody acting and no job. Issued rows are never written again.
- **Who may read what is not issued** (``readable_by(user)``): the keepers of the QMS (ISO
  secretary, head, internal auditor), those who oversee the agency and administrators read
  drafts, draft decisions and revisions no longer in force; staff read only what is issued
  and not expired (``rules.can_see_drafts``).
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.scoping import (
    AgencyScopedQuerySet,
    agency_ids_of,
    ancestor_paths,
    user_scope,
)
from eiso.core.subqueries import count_of
from eiso.documents import rules
from eiso.documents.choices import OPEN_STATUSES, DecisionStatus, RevisionStatus, Validity


def _day(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _revision_model():
    from eiso.documents.models import Revision

    return Revision


def _later_issued(on: datetime.date, ref: str = "document"):
    """Issued revisions of the same document, of a higher number, already in effect on ``on``
    (their existence ends the outer revision's validity)."""
    return _revision_model().objects.filter(
        document=OuterRef(ref),
        status=RevisionStatus.ISSUED,
        number__gt=OuterRef("number"),
        effective_date__lte=on,
    )


def _expired_q(on: datetime.date) -> Q:
    return Q(Exists(_later_issued(on))) | Q(document__withdrawn_on__lte=on)


class RevisionQuerySet(AgencyScopedQuerySet):
    def issued(self):
        return self.filter(status=RevisionStatus.ISSUED)

    def in_preparation(self):
        """The one revision a document may have between draft and approved."""
        return self.filter(status__in=OPEN_STATUSES)

    def in_force(self, *, on: datetime.date | None = None):
        """Issued revisions in force on ``on`` (default today): at most one per document."""
        day = _day(on)
        return self.issued().filter(effective_date__lte=day).exclude(_expired_q(day))

    def not_yet_in_force(self, *, on: datetime.date | None = None):
        """Issued, with an effective date still to come."""
        return self.issued().filter(effective_date__gt=_day(on))

    def live(self, *, on: datetime.date | None = None):
        """Issued and not expired on ``on``: in force, or issued and not yet in force."""
        return self.issued().exclude(_expired_q(_day(on)))

    def with_validity(self, *, on: datetime.date | None = None):
        """Annotate ``validity`` on ``on`` (a ``Validity`` value, "" before issue) and
        ``next_effective`` (when the next issued revision takes effect, which ends this one).
        The same rule as ``in_force``: a test holds them together."""
        day = _day(on)
        following = (
            _revision_model()
            .objects.filter(
                document=OuterRef("document"),
                status=RevisionStatus.ISSUED,
                number__gt=OuterRef("number"),
            )
            .order_by("number")
            .values("effective_date")[:1]
        )
        return self.annotate(
            next_effective=Subquery(following, output_field=DateField()),
            validity=Case(
                When(~Q(status=RevisionStatus.ISSUED), then=Value("")),
                When(effective_date__gt=day, then=Value(Validity.PENDING.value)),
                When(next_effective__lte=day, then=Value(Validity.EXPIRED.value)),
                When(document__withdrawn_on__lte=day, then=Value(Validity.EXPIRED.value)),
                default=Value(Validity.IN_FORCE.value),
                output_field=CharField(),
            ),
            validity_on=Value(day, output_field=DateField()),
        )

    def readable_by(self, user, *, action: Action = Action.VIEW, on=None):
        """Revisions ``user`` may read: every one of the agencies whose drafts they may see,
        elsewhere only issued revisions that are in force or about to be."""
        qs = self.visible_to(user, action=action)
        restricted = rules.staff_only_agency_ids(user)
        if not restricted:
            return qs
        day = _day(on)
        live = Q(status=RevisionStatus.ISSUED) & ~_expired_q(day)
        return qs.filter(~Q(agency_id__in=restricted) | live)


# A revision's long texts, which no list shows.
LIST_DEFERRED = ("content", "change_summary", "return_comment")


class DocumentQuerySet(AgencyScopedQuerySet):
    def readable_by(self, user, *, action: Action = Action.VIEW, on=None):
        """Documents ``user`` may read: every one of the agencies whose drafts they may see,
        elsewhere only those with an issued revision in force or about to be."""
        qs = self.visible_to(user, action=action)
        restricted = rules.staff_only_agency_ids(user)
        if not restricted:
            return qs
        live = _revision_model().objects.live(on=on).filter(document=OuterRef("pk"))
        return qs.filter(~Q(agency_id__in=restricted) | Q(Exists(live)))

    def with_revisions_in_force(self, *, on: datetime.date | None = None, decisions: bool = False):
        """Each document with its issued revisions that are not expired on ``on`` (one more
        query per page, whatever the number of rows): ``document.in_force`` and
        ``document.upcoming`` read them, with their issuing decisions if ``decisions`` (the
        master list shows them; the other lists do not). ``in_force_number`` and
        ``in_force_effective`` sort and filter (aliases: computed only where a sort or a
        filter uses them; a row shows ``in_force``). For lists: the revisions come without
        their texts (``LIST_DEFERRED``: a procedure's content runs to tens of KB, and every
        list read it for each row); a document's page reads its revisions in full."""
        day = _day(on)
        revisions = _revision_model().objects
        in_force = revisions.in_force(on=day).filter(document=OuterRef("pk")).order_by()
        live = revisions.live(on=day).defer(*LIST_DEFERRED).order_by("number")
        if decisions:
            live = live.select_related("decision")
        return (
            self.annotate(validity_on=Value(day, output_field=DateField()))
            .alias(
                in_force_number=Subquery(in_force.values("number")[:1]),
                in_force_effective=Subquery(in_force.values("effective_date")[:1]),
            )
            .prefetch_related(Prefetch("revisions", queryset=live, to_attr="live_revisions"))
        )

    def in_force_on(self, *, on: datetime.date | None = None):
        """Documents with a revision in force on ``on`` (what the master list holds)."""
        in_force = _revision_model().objects.in_force(on=on).filter(document=OuterRef("pk"))
        return self.filter(Exists(in_force))

    def ever_issued(self):
        issued = _revision_model().objects.issued().filter(document=OuterRef("pk"))
        return self.filter(Exists(issued))


class IssuingDecisionQuerySet(AgencyScopedQuerySet):
    def readable_by(self, user, *, action: Action = Action.VIEW):
        """Staff read signed decisions only; the keepers and overseers read drafts too."""
        qs = self.visible_to(user, action=action)
        restricted = rules.staff_only_agency_ids(user)
        if restricted:
            qs = qs.filter(~Q(agency_id__in=restricted) | Q(status=DecisionStatus.SIGNED))
        return qs

    def with_revision_count(self):
        return self.annotate(revision_count=count_of(_revision_model().objects.all(), "decision"))


class ExternalDocumentQuerySet(AgencyScopedQuerySet):
    def visible_to(self, user, *, action: Action = Action.VIEW):
        """Rows of agencies in scope, plus the shared catalogue of every agency above the
        user's own agencies (reading only)."""
        scope = user_scope(user, action)
        if scope.everything:
            return self
        condition = scope.q("agency") if not scope.empty else Q(pk__in=[])
        if action != Action.VIEW:
            return self.filter(condition)
        paths = ancestor_paths(user)
        above = agency_ids_of(paths)  # by id: an index probe each, no join to the agencies
        team = self._team_condition(user)  # an inspection team (eiso.core.scoping)
        if team is not None:
            return self.filter(condition | Q(is_shared=True, agency_id__in=above) | team)
        if not above:
            return self.filter(condition)
        # The same rows, said also of the agency alone (in scope, or above the user): the
        # rows' agencies are then found first, by index, and their texts by agency, instead
        # of every text of the country being read to test the condition's either side.
        return self.filter(condition | Q(is_shared=True, agency_id__in=above)).filter(
            scope.q("agency") | Q(agency__path__in=paths)
        )
