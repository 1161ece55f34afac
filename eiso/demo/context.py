"""What every step of the demo is given (``DemoContext``) and gives back (``StepReport``), and
the tools every step shares: stable digests and seeded generators, and the clock that replays
the province's history day by day. See steps.py for the steps and how to add one."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from eiso.accounts.models import User
from eiso.demo.data import TEAM_AGENCIES
from eiso.organizations.models import Agency


class DemoDataError(Exception):
    """The database cannot take the demo (a missing agency kind, a plan that does not fit)."""


# --- deterministic choices ----------------------------------------------------------------------


def digest(key: str) -> int:
    """A stable number for ``key`` (unlike ``hash()``, the same in every process)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def pick(key: str, options: Sequence):
    return options[digest(key) % len(options)]


def working_day_between(key: str, start: datetime.date, end: datetime.date) -> datetime.date:
    """A working day (Monday to Friday) in [start, end], the same for the same key."""
    day = start + datetime.timedelta(days=digest(key) % ((end - start).days + 1))
    step = -1 if day - datetime.timedelta(days=2) >= start else 1
    while day.weekday() >= 5:
        day += datetime.timedelta(days=step)
    return day


# --- the clock ----------------------------------------------------------------------------------


@contextmanager
def clock_at(day: datetime.date, hour: int = 9) -> Iterator[None]:
    """Every ``timezone.now()`` (so every ``localdate()``, ``auto_now`` and service date) inside
    is ``day`` at ``hour``, one second later at each call so the order of events is kept."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    start = start.astimezone(datetime.UTC)
    ticks = itertools.count()
    real_now = timezone.now
    timezone.now = lambda: start + datetime.timedelta(seconds=next(ticks))
    try:
        yield
    finally:
        timezone.now = real_now


# --- what a step is given and gives back --------------------------------------------------------


@dataclass(frozen=True)
class Keepers:
    """The two people who keep an agency's QMS: its ISO secretary drafts, its head approves
    and signs (never the same person: the services refuse self-approval)."""

    secretary: User
    head: User


@dataclass
class DemoContext:
    """Shared by every step. ``today`` is fixed for the whole run (steps never read the clock
    for "today": under ``clock_at`` it is the day being replayed)."""

    today: datetime.date
    seed: str = "phu-an"
    admin: User | None = None  # the superuser every administrative step acts as
    province: Agency | None = None  # the root (UBND tỉnh)
    agencies: dict[str, Agency] = field(default_factory=dict)  # by code, active or not
    users: dict[str, User] = field(default_factory=dict)  # personas and keepers, by user name
    keepers: dict[str, Keepers] = field(default_factory=dict)  # by agency code
    # The agencies whose own records the steps build (by code), besides the persona teams'
    # (data.TEAM_AGENCIES, always built); None: every agency. ``seed_demo --quick`` and the
    # tests build data.QUICK_AGENCIES, a few of every tier, to stay fast.
    only: frozenset[str] | None = None

    def rng(self, key: str) -> random.Random:
        """A generator seeded by ``key``: the same draws on every run, whatever else was built
        before (one shared generator would drift as soon as a step skips what exists)."""
        return random.Random(f"{self.seed}/{key}")

    def agency(self, code: str) -> Agency | None:
        return self.agencies.get(code.upper())

    def builds(self, agency: Agency) -> bool:
        """Does this run build ``agency``'s own records (its documents, objectives, risks…)?"""
        code = agency.code.upper()
        return self.only is None or code in self.only or code in TEAM_AGENCIES

    def active_agencies(self) -> list[Agency]:
        """Active agencies in the order of the tree (root first)."""
        return sorted((a for a in self.agencies.values() if a.is_active), key=lambda a: a.path)


@dataclass(frozen=True)
class StepReport:
    """What a step says: ``added`` is what this run wrote (one sentence, empty when nothing),
    ``totals`` what the province now holds (one sentence, may be empty)."""

    added: str = ""
    totals: str = ""
