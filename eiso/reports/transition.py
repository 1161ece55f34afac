"""The transition report: how the agencies moved from one version of the standard to the next
(TCVN ISO 9001:2008 → 2015, 2019–2021) against the deadline of the rule (data): for every agency
that had announced under the old version or still runs it, the first announcement under the new
one, on time or late, and those that have not converted — as things stood on a day. One
query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.http import Http404

from eiso.organizations.models import Agency
from eiso.qms.choices import SIGNED_STATUSES
from eiso.qms.models import Announcement, QualitySystem
from eiso.reports.models import TransitionRule
from eiso.reports.rules import OVERSIGHT

ON_TIME, LATE, NOT_CONVERTED, PENDING = "on_time", "late", "not_converted", "pending"


@dataclass
class TransitionReport:
    rule: TransitionRule
    root: Agency | None
    on: datetime.date
    deadline: datetime.date
    rows: list

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.transition == status)

    @property
    def late_or_missing(self) -> list:
        return [r for r in self.rows if r.transition in (LATE, NOT_CONVERTED)]


def rule_list():
    return TransitionRule.objects.order_by("-deadline")


def rule_get(*, pk=None) -> TransitionRule:
    qs = rule_list()
    found = qs.filter(pk=pk).first() if pk else qs.first()
    if found is None:
        raise Http404
    return found


def transition_report(
    *,
    user,
    root: Agency | None,
    rule: TransitionRule,
    on: datetime.date,
    deadline: datetime.date | None = None,
) -> TransitionReport:
    deadline = deadline or rule.deadline
    signed = Announcement.objects.filter(
        agency=OuterRef("pk"), status__in=SIGNED_STATUSES, date__lte=on
    )
    converted = (
        signed.filter(standard_version=rule.to_version)
        .order_by()
        .values("agency")
        .annotate(first=Min("date"))
        .values("first")
    )
    old_qms = QualitySystem.objects.filter(
        agency=OuterRef("pk"), standard_version=rule.from_version
    )
    qs = Agency.objects.visible_to(user, action=OVERSIGHT).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    rows = list(
        qs.annotate(
            had_old=Exists(signed.filter(standard_version=rule.from_version)),
            runs_old=Exists(old_qms),
            converted_on=Subquery(converted),
            old_number=Subquery(
                signed.filter(standard_version=rule.from_version)
                .order_by("-date")
                .values("number")[:1]
            ),
        )
        .filter(Q(had_old=True) | Q(runs_old=True))
        .select_related("kind")
        .order_by(F("converted_on").asc(nulls_last=True), "path")
    )
    for row in rows:
        if row.converted_on is not None:
            row.transition = ON_TIME if row.converted_on <= deadline else LATE
            row.days_late = max(0, (row.converted_on - deadline).days)
        else:
            row.transition = NOT_CONVERTED if on > deadline else PENDING
            row.days_late = max(0, (on - deadline).days)
    return TransitionReport(rule=rule, root=root, on=on, deadline=deadline, rows=rows)
