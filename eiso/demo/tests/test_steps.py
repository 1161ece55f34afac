"""The registry of steps (steps.py), the command, and what every step promises: a second run
writes nothing, a new step is given the shared context."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from eiso.demo.context import DemoContext, StepReport
from eiso.demo.passwords import OneHashArgon2PasswordHasher
from eiso.demo.steps import STEPS, build_demo
from eiso.demo.tests.helpers import SAMPLE

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    """The rows of every model of the project's apps (the capabilities to come included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("eiso.")
    }


def test_the_steps_are_one_ordered_list_of_named_callables():
    names = [name for name, _step in STEPS]
    assert names[:2] == ["province", "people"]
    assert len(set(names)) == len(names)
    assert all(callable(step) for _name, step in STEPS)


def test_under_xdist_the_demo_tests_share_one_worker(request):
    """``make test``'s --dist loadgroup names the group in the node id (conftest.py); a pytest
    that keeps the id elsewhere made it group nothing, and the province was built on every
    worker."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("run without pytest-xdist's --dist loadgroup")
    assert request.node.nodeid.endswith("@demo")


def test_a_second_run_writes_nothing(demo):
    before = counts()
    with transaction.atomic():
        again = build_demo(only=SAMPLE)
        after = counts()
        transaction.set_rollback(True)
    assert again.nothing, [run.report.added for run in again.runs if run.report.added]
    assert after == before
    assert [run.name for run in again.runs] == [name for name, _step in STEPS]


def test_a_new_step_is_given_the_shared_context(demo):
    seen: dict = {}

    def probe(ctx: DemoContext) -> StepReport:
        draws = ctx.rng("probe/a")
        seen.update(
            today=ctx.today,
            root=ctx.province.code,
            agencies=len(ctx.agencies),
            keepers=ctx.keepers["SNV"].head.username,
            persona=ctx.users["giamsat"].full_name,
            draws=[draws.random(), draws.random()],
            again=ctx.rng("probe/a").random(),
            builds=[ctx.builds(ctx.agency(code)) for code in ("SNV", "STP", "SGDDT")],
        )
        return StepReport(totals="Probe: ready.")

    with transaction.atomic():
        result = build_demo(steps=[*STEPS[:2], ("probe", probe)], only=SAMPLE)
        transaction.set_rollback(True)
    assert seen["today"] == timezone.localdate() and seen["root"] == "UBND-T"
    assert seen["agencies"] > 100 and seen["keepers"] == "thutruong.snv"
    assert seen["persona"] == "Nguyễn Thị Thanh Hà"
    assert seen["again"] == seen["draws"][0] != seen["draws"][1]
    assert seen["builds"] == [True, True, False]  # sampled, a persona team's, neither
    assert "Probe: ready." in result.text()


def test_a_steps_generators_are_the_same_on_every_run():
    one = DemoContext(today=datetime.date(2026, 1, 5))
    other = DemoContext(today=datetime.date(2027, 1, 5))
    assert one.rng("risks/SNV").random() == other.rng("risks/SNV").random()
    assert one.rng("risks/SNV").random() != one.rng("risks/STP").random()


def test_the_command_prints_what_it_did_the_totals_and_the_logins(demo):
    out = StringIO()
    with transaction.atomic(), translation.override("en"):
        call_command("seed_demo", "--quick", verbosity=2, stdout=out)
        transaction.set_rollback(True)
    text = out.getvalue()
    assert "The demo province Phú An is complete: nothing to add." in text
    assert "Document control:" in text and "QMS:" in text and "Time:" in text
    assert "thuky.stp" in text and "Demo@2026" in text


def test_the_demo_password_is_hashed_once_and_verified_by_argon2():
    class Cheap(OneHashArgon2PasswordHasher):
        time_cost, memory_cost, parallelism = 1, 8, 1
        _hashes: dict[str, str] = {}

    class CheapArgon2(Argon2PasswordHasher):
        time_cost, memory_cost, parallelism = 1, 8, 1

    first = Cheap().encode("Demo@2026", "saltsaltsalt1")
    assert Cheap().encode("Demo@2026", "saltsaltsalt2") == first
    assert CheapArgon2().verify("Demo@2026", first)
    assert not CheapArgon2().verify("Demo@2027", first)
