"""Evidence for the annual cycle: what in the system shows that an agency did something.

The cycle's obligation rules (data, ``eiso/cycle``) name evidence kinds by key: "the master
list reviewed every quarter" is met by the kind ``documents.master_list_review``, "the annual
report by 15/12" by ``reports.annual_report``. Each module registers its kinds from its own
``evidence.py`` (found at start-up, like ``inbox.py``); the cycle reads only this registry, so
no box is ever ticked by hand and a later module adds its evidence without touching the cycle::

    from eiso.core import evidence

    @evidence.kind("documents.master_list_review", gettext_lazy("Master list reviewed"),
                   per=evidence.QUARTER)
    def master_list_reviews(agency_ids, start, end):
        rows = MasterListReview.objects.filter(agency_id__in=agency_ids,
                                               reviewed_on__range=(start, end))
        return evidence.group((r.agency_id, evidence.Evidence(...)) for r in rows)

A kind answers for many agencies at once (``find_many(agency_ids, start, end) ->
{agency_id: [Evidence]}``, a fixed number of queries): the overseer's matrix of 5,000 agencies ×
the obligations runs one call per kind, never one per agency. ``agency_ids`` is a list of ids or
a query of them (a subquery): a kind uses it only as ``agency_id__in=agency_ids``.
``find(agency, start, end)`` is the same for one agency.

- ``Evidence.date`` is the day it counts from (a decision's date, a report's date, the day a
  review was held); a kind returns what is dated in ``[start, end]``.
- ``Evidence.period`` says which year (``"2023"``) or quarter (``"2023-Q2"``) it is for when the
  thing itself says so (the objectives *of* 2024 issued in December 2023); the kind declares
  it with ``per``. The cycle then matches by period, not by date.
- ``Evidence.ref`` pairs an event with what answers it (a legal text taking effect for one
  document — a revision task — and the revision that closes that task).
- Some kinds are events rather than deliverables (``event=True``): a legal text taking effect,
  the scope changed, a member of the steering committee left. A rule "within 3 months of …"
  names such a kind as its trigger.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

YEAR = "year"
QUARTER = "quarter"


@dataclass(frozen=True)
class Evidence:
    """One thing that shows an obligation was met (or, for an event kind, that something
    happened): when, what, where to see it."""

    date: datetime.date
    title: str
    url: str = ""
    period: str = ""
    ref: str = ""


FindMany = Callable[[list[int], datetime.date, datetime.date], "dict[int, list[Evidence]]"]
FindOne = Callable[[object, datetime.date, datetime.date], "list[Evidence]"]


@dataclass(frozen=True)
class EvidenceKind:
    """A registered kind: ``key`` (named by the rules), ``label`` for people, ``find_many``
    (set-based) and optionally ``find`` for one agency (default: ``find_many`` of one).
    ``per``: ``YEAR`` or ``QUARTER`` when every item carries its ``period``; ``event``: the kind
    records something that happened (a trigger), not a deliverable."""

    key: str
    label: str
    find_many: FindMany
    find_one: FindOne | None = None
    per: str = ""
    event: bool = False
    description: str = ""

    def find(self, agency, start: datetime.date, end: datetime.date) -> list[Evidence]:
        if self.find_one is not None:
            return list(self.find_one(agency, start, end))
        return list(self.find_many([agency.pk], start, end).get(agency.pk, []))


_KINDS: dict[str, EvidenceKind] = {}


def register(found: EvidenceKind) -> EvidenceKind:
    """Add (or replace) a kind under its key."""
    if not found.key or len(found.key) > 64 or "." not in found.key:
        raise ValueError("an evidence kind needs a key 'app.name' of at most 64 characters")
    if found.per not in ("", YEAR, QUARTER):
        raise ValueError(f"{found.key}: per must be '', 'year' or 'quarter'")
    _KINDS[found.key] = found
    return found


def kind(
    key: str,
    label,
    *,
    per: str = "",
    event: bool = False,
    description="",
) -> Callable[[FindMany], FindMany]:
    """Decorator: register ``find_many`` under ``key``."""

    def decorate(function: FindMany) -> FindMany:
        register(
            EvidenceKind(
                key=key,
                label=label,
                find_many=function,
                per=per,
                event=event,
                description=description,
            )
        )
        return function

    return decorate


def unregister(key: str) -> None:
    _KINDS.pop(key, None)


def get(key: str) -> EvidenceKind | None:
    return _KINDS.get(key)


def kinds(*, events: bool | None = None) -> list[EvidenceKind]:
    """Every registered kind by key (``events``: only triggers, or only deliverables)."""
    found = sorted(_KINDS.values(), key=lambda k: k.key)
    if events is None:
        return found
    return [k for k in found if k.event == events]


def choices(*, events: bool | None = None) -> list[tuple[str, str]]:
    """``(key, label)`` pairs for a select box."""
    return [(k.key, str(k.label)) for k in kinds(events=events)]


def find(key: str, agency, start: datetime.date, end: datetime.date) -> list[Evidence]:
    """The evidence of kind ``key`` for one agency in ``[start, end]`` (empty when the kind is
    not registered: its module is not installed)."""
    found = _KINDS.get(key)
    if found is None:
        return []
    return sorted(found.find(agency, start, end), key=_order)


def find_many(
    key: str, agency_ids: Iterable[int] | QuerySet, start: datetime.date, end: datetime.date
) -> dict[int, list[Evidence]]:
    """The evidence of kind ``key`` for many agencies at once, each list by date.
    ``agency_ids``: ids, or a query of the agencies' ids (``.values("pk")``) that the kind's
    query then reads as a subquery — thousands of agencies are never sent as an ``IN`` list of
    parameters (each one prepared by the ORM: most of a national dashboard's time)."""
    found = _KINDS.get(key)
    if isinstance(agency_ids, QuerySet):
        ids = agency_ids.order_by()
    else:
        ids = sorted(set(agency_ids))
        if not ids:
            return {}
    if found is None:
        return {}
    result = found.find_many(ids, start, end)
    return {agency_id: sorted(items, key=_order) for agency_id, items in result.items()}


def group(pairs: Iterable[tuple[int, Evidence]]) -> dict[int, list[Evidence]]:
    """``{agency_id: [Evidence]}`` from ``(agency_id, evidence)`` pairs (for ``find_many``)."""
    result: dict[int, list[Evidence]] = defaultdict(list)
    for agency_id, item in pairs:
        result[agency_id].append(item)
    return dict(result)


_SENTINEL = 987654321


def link(url_name: str) -> Callable[[int], str]:
    """``link("documents:detail")(42)`` → ``"/documents/42/"``: the URL reversed once, then
    filled per row (a kind may return thousands of items; ``reverse`` per row would cost more
    than the query)."""
    from django.urls import reverse

    pattern = reverse(url_name, args=[_SENTINEL])
    marker = str(_SENTINEL)
    return lambda pk: pattern.replace(marker, str(pk))


def moments(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """``(first moment of start, last moment of end)`` in local time: a ``__range`` over a
    date-time column that selects the local days ``start`` to ``end``."""
    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    return first, last


def quarter_of(day: datetime.date) -> str:
    """``"2023-Q2"`` for a day of April–June 2023."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def autodiscover() -> None:
    autodiscover_modules("evidence")


def _order(item: Evidence):
    return (item.date, item.title)
