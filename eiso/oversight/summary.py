"""The summary by tier as one object: what the page, its XLSX, its DOCX and the API show,
read once through the selectors (no HTTP here). The files are built from it in ``outputs``;
the page keeps its counts between requests (``summary_kept``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eiso.core.kept import kept, key_of, reach_of
from eiso.core.roles import Action
from eiso.organizations.models import Agency
from eiso.oversight import selectors
from eiso.oversight.selectors import REQUIRED_COLUMNS, SUMMARY_COLUMNS

if TYPE_CHECKING:
    from eiso.accounts.models import User

# Percentages are of the agencies that must apply.
PERCENT_COLUMNS = SUMMARY_COLUMNS[2:]


def percent(count: int, base: int) -> float | None:
    """``count`` as a percentage of ``base`` (one decimal), None when ``base`` is 0."""
    return round(count * 100.0 / base, 1) if base else None


def with_percentages(rows: list[dict], required: dict[str, dict]) -> list[dict]:
    """Each summary row (from ``selectors.summary``) with ``required`` (its numbers among the
    agencies that must apply, from ``selectors.summary_and_required``) and ``pct_<column>``: the
    share of the agencies that must apply (None when none must)."""
    result = []
    for row in rows:
        among = required.get(row["tier"]) or {c: 0 for c in REQUIRED_COLUMNS}
        result.append(
            {
                **row,
                "required": among,
                **{
                    f"pct_{c}": percent(among.get(c, 0), row["must_apply"]) for c in PERCENT_COLUMNS
                },
            }
        )
    return result


@dataclass(frozen=True)
class Sentence:
    """One line of the summary box; ``complete`` when every agency counted has announced."""

    text: str
    announced: int
    count: int

    @property
    def complete(self) -> bool:
        return self.count > 0 and self.announced >= self.count


@dataclass
class SummaryReport:
    root: Agency | None
    on: datetime.date
    rows: list[dict]
    kinds: list[dict]
    annex: object  # the registry on the date (a queryset of agencies)
    user: User  # whom it was read for: the annex's rows are read through their visible_to
    # When rows and kinds were computed, if they were kept (summary_kept); None: just now.
    computed_at: datetime.datetime | None = None

    @property
    def total(self) -> dict | None:
        return self.rows[-1] if self.rows else None

    def sentences(self) -> list[Sentence]:
        """ "156/156 UBND cấp xã đã công bố" per tier and per kind: among the agencies that
        must apply, or among all where none must (those encouraged to apply)."""
        lines = []
        for r in self.rows:
            if not r["tier"]:
                continue
            if r["must_apply"]:
                text = _(
                    "%(announced)s/%(count)s agencies at %(tier)s level that must apply announced"
                )
                announced, count = r["required"]["announced"], r["must_apply"]
            else:
                text = _(
                    "%(announced)s/%(count)s agencies at %(tier)s level announced (not required)"
                )
                announced, count = r["announced"], r["agencies"]
            numbers = {"announced": announced, "count": count, "tier": str(r["label"]).lower()}
            lines.append(Sentence(text % numbers, announced, count))
        for k in self.kinds:
            if k["must_apply"]:
                text = _("%(announced)s/%(count)s %(kind)s announced")
                announced, count = k["announced_required"], k["must_apply"]
            else:
                text = _("%(announced)s/%(count)s %(kind)s announced (not required)")
                announced, count = k["announced"], k["agencies"]
            numbers = {"announced": announced, "count": count, "kind": k["label"]}
            lines.append(Sentence(text % numbers, announced, count))
        return lines


def _counts(*, user, root: Agency | None, on: datetime.date) -> tuple[list[dict], list[dict]]:
    """The rows by tier (with their percentages) and by kind: two grouped queries."""
    rows, required = selectors.summary_and_required(user=user, root=root, on=on)
    kinds = selectors.summary_by_kind(user=user, root=root, on=on)
    return with_percentages(rows, required), kinds


def _report(*, user, root, on, counts, computed_at=None) -> SummaryReport:
    """The report of ``counts`` (``_counts``), with the annex (read when iterated)."""
    rows, kinds = counts
    annex = selectors.registry(user=user, root=root, on=on)
    return SummaryReport(
        root=root, on=on, rows=rows, kinds=kinds, annex=annex, user=user, computed_at=computed_at
    )


def summary_report(*, user, root: Agency | None, on: datetime.date) -> SummaryReport:
    """The summary of ``root``'s subtree (everything the user oversees when None) on ``on``:
    two grouped queries and the annex (the registry on that date, read when iterated)."""
    return _report(user=user, root=root, on=on, counts=_counts(user=user, root=root, on=on))


def kept_key(what: str, *, user, root: Agency | None, on: datetime.date) -> str:
    """The cache key of a kept summary (``what``: the page's counts, the API's JSON): the same
    subtree on the same day, seen with the same reach in the same language, is the same."""
    return key_of(
        what,
        reach_of(user, Action.OVERSEE, Action.VIEW),
        root.pk if root is not None else None,
        on,
        get_language(),
    )


def summary_kept(
    *,
    user,
    root: Agency | None,
    on: datetime.date,
    fresh: bool = False,
    events: tuple[int, int] | None = None,
) -> SummaryReport:
    """``summary_report`` for the page: its counts (rows and kinds, two grouped queries over the
    whole subtree: the country's 5,000 agencies) kept between requests like the dashboard
    (``eiso.core.kept``, ``DASHBOARD_MAX_AGE``), shared by the people of the same reach, and
    ``computed_at`` said; the annex read now, a page at a time. ``fresh``: compute them again
    now; ``events``: see ``eiso.core.kept.kept``. The files are built from ``summary_report``."""
    found = kept(
        kept_key("summary-page", user=user, root=root, on=on),
        lambda: _counts(user=user, root=root, on=on),
        user=user,
        max_age=settings.DASHBOARD_MAX_AGE,
        fresh=fresh,
        events=events,
    )
    return _report(user=user, root=root, on=on, counts=found.value, computed_at=found.computed_at)
