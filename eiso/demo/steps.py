"""The demo province, step by step: ``manage.py seed_demo`` runs STEPS in order, in one
transaction, through the services (so the audit trail is the one a real province would have).

Adding a capability's demo data (objectives, risks, records, training, audits, …)
-----------------------------------------------------------------------------------
Write ``eiso/demo/<capability>.py`` with one function and add ONE line to STEPS::

    def build(ctx: DemoContext) -> StepReport:
        ...
        return StepReport(added=_("Risks: added …") if wrote else "", totals=_("Risks: …"))

    STEPS = [..., ("risks", risks.build)]

What a step is given (``context.DemoContext``): ``ctx.today`` (fixed for the run: never read the
clock for "today"), ``ctx.admin``, ``ctx.province`` (the root agency), ``ctx.agencies`` (every
agency of the demo by code, active or not; ``ctx.active_agencies()`` in tree order),
``ctx.users`` (personas and keepers by user name), ``ctx.keepers`` (agency code → its ISO
secretary and head: the people who act in every agency that has started its QMS),
``ctx.rng(key)`` (a ``random.Random`` seeded by ``key``) and ``ctx.builds(agency)`` (whether
this run builds that agency's own records: every agency, or only the personas' and
``data.QUICK_AGENCIES`` with ``seed_demo --quick`` and in the tests).

What a step must do:

- be idempotent: look at what exists first (by a natural key: a number, a code, a date) and
  write nothing on a second run; ``StepReport.added`` is then empty;
- write through the services only, acting as the people who would (``ctx.keepers[code]``, a
  persona of ``data.DEMO_USERS``, ``ctx.admin`` for the province's own records);
- replay its history on the days it happened (``with clock_at(day):`` around the service
  calls) and never after ``ctx.today``; an agency's work after its ``active_from``;
- be deterministic: draw from ``ctx.rng("<capability>/<key>")`` or ``context.digest(key)``
  (never ``random`` or the time), so every run and every machine builds the same province;
- stay fast (``seed_demo -v 2`` prints each step's time; the build is made once per test run
  in ``tests/conftest.py``, with ``--quick``): build an agency's own records only when
  ``ctx.builds(agency)``, read in bulk, render a file once and fill it per row (files.py), no
  work per agency that a query can do;
- say what it wrote and what the province now holds (``StepReport``), in gettext strings of
  the demo's catalogue;
- be tested in ``tests/test_<capability>.py`` against the ``demo`` fixture (the province is
  built once for all of them) for what a newcomer would see.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.demo import (
    audits,
    builders,
    data,
    documents,
    feedback,
    improvements,
    inspections,
    objectives,
    procedures,
    qms,
    records,
    reports,
    reviews,
    risks,
    training,
)
from eiso.demo.builders import DemoLogin, demo_logins, format_logins
from eiso.demo.context import DemoContext, StepReport

Step = Callable[[DemoContext], StepReport]

# The order matters: each step may read what the steps before it built.
STEPS: list[tuple[str, Step]] = [
    ("province", builders.build_province),  # agencies, departments, closed districts
    ("people", builders.build_people),  # personas; ISO secretary and head of every agency
    ("documents", documents.build),  # document control: the personas' agencies, then all
    ("procedures", procedures.build),  # TTHC catalogue, handled procedures, step tables
    ("qms", qms.build),  # QMS records, announcements, committees, reminders
    ("objectives", objectives.build),  # quality objectives of last year and this year
    ("risks", risks.build),  # context, interested parties, risk register, treatments
    ("audits", audits.build),  # audit programmes, plans, checklists, findings, reports
    ("improvements", improvements.build),  # nonconformities in every stage of their life
    ("reviews", reviews.build),  # management reviews: input packs, decisions, minutes
    ("feedback", feedback.build),  # public portal, desks, a year of ratings, complaints
    ("records", records.build),  # two years of one-stop dossiers, records to keep
    ("training", training.build),  # courses, sessions, attendance, certificates
    ("inspections", inspections.build),  # the Sở KH&CN's plans: last year's done, this year's
    ("reports", reports.build),  # annual reports submitted and received, the province's summary
]


@dataclass(frozen=True)
class StepRun:
    name: str
    report: StepReport
    seconds: float
    cpu_seconds: float = 0.0


@dataclass
class DemoResult:
    context: DemoContext
    runs: list[StepRun] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not any(run.report.added for run in self.runs)

    def summary(self) -> str:
        """What this run wrote, or that the demo is complete."""
        if self.nothing:
            return _("The demo province %(province)s is complete: nothing to add.") % {
                "province": data.PROVINCE
            }
        return " ".join(run.report.added for run in self.runs if run.report.added)

    def totals(self) -> list[str]:
        return [run.report.totals for run in self.runs if run.report.totals]

    def timings(self) -> str:
        """Wall-clock and processor time of each step (on a busy machine they differ)."""
        parts = [f"{run.name} {run.seconds:.1f} s / {run.cpu_seconds:.1f} s" for run in self.runs]
        return _("Time: %(total).1f s, processor %(cpu).1f s (%(steps)s).") % {
            "total": sum(run.seconds for run in self.runs),
            "cpu": sum(run.cpu_seconds for run in self.runs),
            "steps": ", ".join(parts),
        }

    def text(self, *, summary: bool = True, logins: bool = True, timings: bool = False) -> str:
        """What ``seed_demo`` prints."""
        lines = [self.summary(), *self.totals()] if summary else []
        if timings:
            lines.append(self.timings())
        if logins:
            lines.append(format_logins(self.logins))
        return "\n".join(lines)


# The notifications of the demo's history stay in the app: none is mailed (with the console
# backend of the dev mode, hundreds of them would be printed).
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def _password_hashers() -> list[str]:
    """Every demo account has the same public password: hash it once (Argon2 takes a third of
    a second per account, and there are two hundred accounts), see passwords.py."""
    if get_hasher().algorithm == "argon2":
        return ["eiso.demo.passwords.OneHashArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    return list(settings.PASSWORD_HASHERS)


def build_demo(
    today: datetime.date | None = None,
    steps: list[tuple[str, Step]] | None = None,
    only: frozenset[str] | None = None,
) -> DemoResult:
    """Run ``steps`` (all of STEPS by default) in one transaction, for every agency or
    ``only`` those (by code); what each wrote and how long it took."""
    ctx = DemoContext(today=today or timezone.localdate(), only=only)
    result = DemoResult(context=ctx)
    with (
        override_settings(EMAIL_BACKEND=QUIET_MAIL, PASSWORD_HASHERS=_password_hashers()),
        transaction.atomic(),
    ):
        for name, step in STEPS if steps is None else steps:
            start, cpu = time.perf_counter(), time.process_time()
            report = step(ctx)
            elapsed = time.perf_counter() - start
            result.runs.append(StepRun(name, report, elapsed, time.process_time() - cpu))
    result.logins = demo_logins()
    return result
