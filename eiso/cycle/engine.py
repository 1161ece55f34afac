"""Obligations from rules and evidence, in plain Python over what the selectors read in bulk:
which instances a rule gives an agency in a year (one, one per quarter, one per event), when each
is due, which evidence meets it, and where it stands on a day.

On a day ``on`` only what exists by then counts: evidence dated after ``on`` and events after
``on`` are ignored, so the same day always gives the same answer (an overseer's figures are
reproducible). The audit a report must precede counts from its planned first day, even if that
day is still to come.

- met on time: its evidence is dated on or before the due date;
- met late: after it;
- overdue: no evidence and the due date has passed;
- due soon: no evidence and the due date is within the rule's reminder days;
- not yet due: otherwise."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eiso.core import evidence as registry
from eiso.core.evidence import Evidence
from eiso.cycle.choices import SEVERITY, DueKind, ObligationState
from eiso.cycle.models import day_of

ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day_of(index // 12, index % 12 + 1, day.day)


def state_of(
    *, due: datetime.date, met_on: datetime.date | None, on: datetime.date, remind_before: int
) -> str:
    """Where an obligation due on ``due`` and met on ``met_on`` (None: not yet) stands on
    ``on``."""
    if met_on is not None:
        return ObligationState.MET_ON_TIME if met_on <= due else ObligationState.MET_LATE
    if on > due:
        return ObligationState.OVERDUE
    if (due - on).days <= remind_before:
        return ObligationState.DUE_SOON
    return ObligationState.NOT_YET_DUE


def worst(states) -> str:
    """The state a cell of several instances shows: the first of SEVERITY any is in."""
    present = set(states)
    return next((s for s in SEVERITY if s in present), "")


@dataclass
class Obligation:
    """One obligation of one agency: a rule in a year (and a quarter, or an event)."""

    rule: object
    agency_id: int
    year: int
    instance: str
    label: str
    opens: datetime.date | None
    due: datetime.date
    state: str = ""
    evidence: Evidence | None = None
    trigger: Evidence | None = None
    anchor: Evidence | None = None
    on: datetime.date | None = None
    triggers: list[Evidence] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def met_on(self) -> datetime.date | None:
        return self.evidence.date if self.evidence else None

    @property
    def met(self) -> bool:
        return self.evidence is not None

    @property
    def days_late(self) -> int:
        """Days past the due date: of the evidence when met late, of ``on`` when overdue."""
        if self.evidence is not None:
            return max(0, (self.evidence.date - self.due).days)
        if self.on is not None and self.on > self.due:
            return (self.on - self.due).days
        return 0

    @property
    def days_left(self) -> int | None:
        if self.evidence is not None or self.on is None:
            return None
        return (self.due - self.on).days

    def get_state_display(self) -> str:
        return str(ObligationState(self.state).label) if self.state else ""


# --- which evidence a rule needs ------------------------------------------------------------


def _kind_per(key: str) -> str:
    found = registry.get(key)
    return found.per if found else ""


def _opens(rule, year: int) -> datetime.date:
    return day_of(year - 1 if rule.opens_previous_year else year, rule.opens_month, rule.opens_day)


def _fixed_due(rule, year: int) -> datetime.date:
    return day_of(year, rule.due_month or 12, rule.due_day or 31)


def _wide(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31)


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _deliverable_window(rule, year: int) -> tuple[datetime.date, datetime.date]:
    """Where a rule's evidence is looked for in ``year``: the whole neighbourhood of the year
    when the evidence says which period it is for, else the twelve months from the window's
    opening (so two years never share a document), for events the year and the next."""
    if _kind_per(rule.evidence_key):
        return _wide(year)
    if rule.due_kind == DueKind.QUARTERLY:
        return _year(year)
    if rule.due_kind == DueKind.EVENT:
        return datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31)
    opens = _opens(rule, year)
    return opens, add_months(opens, 12) - ONE_DAY


def needs(rule, year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """``(kind key, start, end)`` the rule reads for ``year``."""
    wanted = [(rule.evidence_key, *_deliverable_window(rule, year))]
    if rule.due_kind == DueKind.RELATIVE and rule.anchor_key:
        wanted.append(
            (rule.anchor_key, *(_wide(year) if _kind_per(rule.anchor_key) else _year(year)))
        )
    if rule.due_kind == DueKind.EVENT and rule.trigger_key:
        wanted.append((rule.trigger_key, *_year(year)))
    return wanted


def merge_needs(pairs) -> dict[str, tuple[datetime.date, datetime.date]]:
    """One ``(start, end)`` per kind covering every window asked (one query per kind)."""
    spans: dict[str, tuple[datetime.date, datetime.date]] = {}
    for key, start, end in pairs:
        if key in spans:
            old = spans[key]
            spans[key] = (min(old[0], start), max(old[1], end))
        else:
            spans[key] = (start, end)
    return spans


def fetch(spans: dict, agency_ids: list[int]) -> dict[str, dict[int, list[Evidence]]]:
    """Every kind's evidence for the agencies (one ``find_many`` per kind)."""
    return {key: registry.find_many(key, agency_ids, *span) for key, span in spans.items()}


# --- the instances of a rule -------------------------------------------------------------------


def _in(items, start, end, on=None, period=""):
    chosen = []
    for item in items:
        if period:
            if item.period != period:
                continue
        elif not (start <= item.date <= end):
            continue
        if on is not None and item.date > on:
            continue
        chosen.append(item)
    return chosen


def _first(items) -> Evidence | None:
    return min(items, key=lambda e: (e.date, e.title)) if items else None


@dataclass
class Plan:
    """What a rule gives in a year whoever the agency (its dates, windows and labels): worked
    out once per rule and year, then read for each of thousands of agencies."""

    per: str
    opens: datetime.date
    due: datetime.date
    start: datetime.date
    end: datetime.date
    period: str
    anchor_per: str = ""
    anchor_window: tuple = ()
    quarters: list = field(default_factory=list)


def plan(rule, year: int) -> Plan:
    per = _kind_per(rule.evidence_key)
    start, end = _deliverable_window(rule, year)
    found = Plan(
        per=per,
        opens=_opens(rule, year),
        due=_fixed_due(rule, year),
        start=start,
        end=end,
        period=str(year) if per == registry.YEAR else "",
    )
    if rule.due_kind == DueKind.RELATIVE and rule.anchor_key:
        found.anchor_per = _kind_per(rule.anchor_key)
        found.anchor_window = _year(year)
    if rule.due_kind == DueKind.QUARTERLY:
        for quarter in range(1, 5):
            first = datetime.date(year, 3 * quarter - 2, 1)
            last = add_months(first, 3) - ONE_DAY
            found.quarters.append(
                (quarter, first, last, _quarter_label(quarter, year), f"{year}-Q{quarter}")
            )
    return found


def obligations(
    rule,
    agency_id: int,
    year: int,
    on: datetime.date,
    found: dict[str, dict],
    plans: dict | None = None,
) -> list[Obligation]:
    """The obligations ``rule`` gives ``agency_id`` in ``year``, with their state on ``on``;
    ``found`` is ``fetch``'s answer; ``plans`` keeps each rule's ``Plan`` of the year between
    calls (the caller's, for one computation)."""
    if plans is None:
        plans = {}
    key = (id(rule), year)
    planned = plans.get(key)
    if planned is None:
        planned = plans[key] = plan(rule, year)
    items = found.get(rule.evidence_key, {}).get(agency_id, [])
    if rule.due_kind == DueKind.QUARTERLY:
        result = _quarters(rule, agency_id, year, on, items, planned)
    elif rule.due_kind == DueKind.EVENT:
        triggers = found.get(rule.trigger_key, {}).get(agency_id, [])
        if not triggers:  # no event of the year: no obligation
            return []
        result = _events(rule, agency_id, year, on, items, triggers)
    else:
        result = [_yearly(rule, agency_id, year, on, items, planned, found)]
    remind_before = rule.remind_before_days
    for item in result:
        item.on = on
        item.state = state_of(due=item.due, met_on=item.met_on, on=on, remind_before=remind_before)
    return result


class Status(NamedTuple):
    """An obligation's code, due date and state only: what the dashboards count."""

    code: str
    due: datetime.date
    state: str


def statuses(
    rule, agency_id: int, year: int, on: datetime.date, found: dict[str, dict], plans: dict
) -> list[Status]:
    """``obligations(…)`` as ``Status`` rows, for counting over thousands of agencies. An agency
    without any evidence the rule reads (its own items, anchors, events) gets the answer of an
    agency without evidence, worked out once per rule, year and day by ``obligations`` itself;
    the others get ``obligations``' answer: the same states by construction."""
    by_agency = found.get(rule.evidence_key, {})
    blank = agency_id not in by_agency
    if blank and rule.due_kind == DueKind.RELATIVE and rule.anchor_key:
        blank = agency_id not in found.get(rule.anchor_key, {})
    if blank and rule.due_kind == DueKind.EVENT:
        blank = agency_id not in found.get(rule.trigger_key, {})
    if blank:
        key = (id(rule), year, on, "blank")
        answer = plans.get(key)
        if answer is None:
            answer = plans[key] = [
                Status(o.code, o.due, o.state) for o in obligations(rule, 0, year, on, {}, plans)
            ]
        return answer
    return [
        Status(o.code, o.due, o.state) for o in obligations(rule, agency_id, year, on, found, plans)
    ]


def _yearly(rule, agency_id, year, on, items, planned: Plan, found) -> Obligation:
    due = planned.due
    anchor = None
    if planned.anchor_window:
        anchors = found.get(rule.anchor_key, {}).get(agency_id, [])
        if anchors:
            if planned.anchor_per == registry.YEAR:
                anchor = _first(_in(anchors, None, None, period=str(year)))
            else:
                anchor = _first(_in(anchors, *planned.anchor_window))
        if anchor is not None:
            due = anchor.date + datetime.timedelta(days=rule.offset_days)
    chosen = (
        _first(_in(items, planned.start, planned.end, on=on, period=planned.period))
        if items
        else None
    )
    return Obligation(
        rule=rule,
        agency_id=agency_id,
        year=year,
        instance="",
        label=str(year),
        opens=planned.opens,
        due=due,
        evidence=chosen,
        anchor=anchor,
    )


@functools.lru_cache(maxsize=256)
def _quarter_label_in(language: str, quarter: int, year: int) -> str:
    return _("Q%(q)s/%(year)s") % {"q": quarter, "year": year}


def _quarter_label(quarter: int, year: int) -> str:
    """ "Q3/2023" in the active language, translated once per language (thousands of agencies
    each have four quarters)."""
    return _quarter_label_in(get_language() or "", quarter, year)


def _quarters(rule, agency_id, year, on, items, planned: Plan) -> list[Obligation]:
    result = []
    by_period = planned.per == registry.QUARTER
    for quarter, first, last, label, period in planned.quarters:
        if not items:
            chosen = None
        elif by_period:
            chosen = _first(_in(items, None, None, on=on, period=period))
        else:
            chosen = _first(_in(items, first, last, on=on))
        result.append(
            Obligation(
                rule=rule,
                agency_id=agency_id,
                year=year,
                instance=f"Q{quarter}",
                label=label,
                opens=first,
                due=last,
                evidence=chosen,
            )
        )
    return result


def _due_after(rule, day: datetime.date) -> datetime.date:
    return add_months(day, rule.within_months) + datetime.timedelta(days=rule.within_days)


def _events(rule, agency_id, year, on, items, triggers) -> list[Obligation]:
    """One obligation per event of the year that has happened by ``on``: an event with a
    reference (a revision task) is answered by the evidence of the same reference; other events
    in a row are answered together by the first evidence after the first of them (one
    re-announcement answers every scope change made before it)."""
    start, end = _year(year)
    happened = sorted(_in(triggers, start, end, on=on), key=lambda e: (e.date, e.ref, e.title))
    answers = sorted(_in(items, datetime.date(year - 1, 1, 1), on, on=on), key=lambda e: e.date)
    result = []
    by_ref = defaultdict(list)
    for answer in answers:
        if answer.ref:
            by_ref[answer.ref].append(answer)
    pending: list[Evidence] = []

    def close(group: list[Evidence], answer: Evidence | None) -> None:
        first = group[0]
        result.append(
            Obligation(
                rule=rule,
                agency_id=agency_id,
                year=year,
                instance=first.ref or first.date.isoformat(),
                label=first.title
                if len(group) == 1
                else _("%(first)s and %(more)s more")
                % {"first": first.title, "more": len(group) - 1},
                opens=first.date,
                due=_due_after(rule, first.date),
                evidence=answer,
                trigger=first,
                triggers=list(group),
            )
        )

    for event in happened:
        if event.ref:
            close([event], _first(by_ref.get(event.ref, [])))
            continue
        if pending:
            answer = _first([a for a in answers if not a.ref and a.date >= pending[0].date])
            if answer is not None and event.date > answer.date:
                close(pending, answer)
                pending = []
        pending.append(event)
    if pending:
        close(pending, _first([a for a in answers if not a.ref and a.date >= pending[0].date]))
    return result
