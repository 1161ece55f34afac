"""Measurement sources: where the value of a quality objective's indicator comes from.

An objective names its source by key. "manual" (typed in, with its evidence attached) is
registered by the objectives app; the records module registers the on-time rate of one-stop
dossiers, the feedback module the share of satisfied citizens — each from its own code::

    from eiso.core import measures

    measures.register(measures.MeasureSource(
        key="records.on_time_rate",
        label=gettext_lazy("On-time rate of one-stop dossiers"),
        unit="%",
        compute=on_time_rate,          # (agency, start, end) -> Decimal | None
    ))

The objectives app reads sources only through this registry, so no app depends on another to
measure an objective: a source that is not registered (its module not installed) is simply not
offered. ``compute`` answers ``None`` when there is no data for the period (nothing is then
recorded).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Compute = Callable[[object, datetime.date, datetime.date], "Decimal | None"]
# Many agencies at once (a fixed number of queries): {agency id: value}, agencies without data
# left out. Optional: the overseer's dashboard and summaries show a source only when it has one.
ComputeMany = Callable[[list, datetime.date, datetime.date], "dict[int, Decimal]"]

MANUAL = "manual"


@dataclass(frozen=True)
class MeasureSource:
    """One source: ``key`` (stored on objectives), a ``label`` for people, the ``unit`` its
    values are in, and ``compute(agency, start, end)`` — ``None`` for a source typed by hand."""

    key: str
    label: str
    unit: str = ""
    compute: Compute | None = None
    description: str = ""
    compute_many: ComputeMany | None = None

    @property
    def manual(self) -> bool:
        return self.compute is None


_SOURCES: dict[str, MeasureSource] = {}


def register(source: MeasureSource) -> MeasureSource:
    """Add (or replace) a source under its key."""
    if not source.key or len(source.key) > 64:
        raise ValueError("a measurement source needs a key of at most 64 characters")
    _SOURCES[source.key] = source
    return source


def unregister(key: str) -> None:
    _SOURCES.pop(key, None)


def get(key: str) -> MeasureSource | None:
    return _SOURCES.get(key)


def sources() -> list[MeasureSource]:
    """Every registered source, the manual one first, then by key."""
    return sorted(_SOURCES.values(), key=lambda s: (s.key != MANUAL, s.key))


def choices() -> list[tuple[str, str]]:
    """``(key, label)`` pairs for a select box."""
    return [(s.key, str(s.label)) for s in sources()]


def compute(key: str, agency, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The value of source ``key`` for ``agency`` over ``start``–``end`` (both included), or
    None when the source is manual, unknown or has no data for the period."""
    source = _SOURCES.get(key)
    if source is None or source.compute is None:
        return None
    value = source.compute(agency, start, end)
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def compute_many(
    key: str, agency_ids, start: datetime.date, end: datetime.date
) -> dict[int, Decimal] | None:
    """The values of source ``key`` for many agencies over ``start``–``end`` (agencies without
    data left out), or None when the source is unknown or cannot answer for many at once."""
    source = _SOURCES.get(key)
    if source is None or source.compute_many is None:
        return None
    values = source.compute_many(list(agency_ids), start, end)
    return {
        agency_id: value if isinstance(value, Decimal) else Decimal(str(value))
        for agency_id, value in values.items()
        if value is not None
    }
