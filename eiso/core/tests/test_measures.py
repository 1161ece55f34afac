"""The registry of measurement sources: a module registers a source, objectives read it only
through the registry — an objective measured by a fake source gets the computed value."""

import datetime
from decimal import Decimal

import pytest

from eiso.core import measures
from eiso.objectives import services
from eiso.objectives.models import Measurement
from eiso.objectives.tests.conftest import at
from eiso.objectives.tests.factories import action_data, issue, objective_data

calls: list = []


def on_time_rate(agency, start, end):
    calls.append((agency.code, start, end))
    return Decimal("96.4") if agency.code == "A" else None


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def fake_source():
    source = measures.register(
        measures.MeasureSource(
            key="test.on_time", label="Tỷ lệ đúng hạn (thử)", unit="%", compute=on_time_rate
        )
    )
    yield source
    measures.unregister(source.key)


def test_manual_is_built_in_and_listed_first(fake_source):
    assert measures.get(measures.MANUAL).manual
    assert measures.choices()[0][0] == measures.MANUAL
    assert ("test.on_time", "Tỷ lệ đúng hạn (thử)") in measures.choices()


def test_compute_answers_none_for_manual_unknown_or_no_data(fake_source):
    day = datetime.date(2026, 1, 1)
    assert measures.compute(measures.MANUAL, None, day, day) is None
    assert measures.compute("nobody.registered", None, day, day) is None


def test_a_source_needs_a_short_key():
    with pytest.raises(ValueError):
        measures.register(measures.MeasureSource(key="", label="x"))


@pytest.mark.django_db
def test_an_objective_measured_by_a_registered_source(world, fake_source, settings, tmp_path):
    import time_machine

    settings.MEDIA_ROOT = tmp_path
    calls.clear()
    with time_machine.travel(at(2026, 5, 10), tick=False):
        objective_set = services.objective_set_create(actor=world.an, agency=world.A, year=2026)
        objective = services.objective_create(
            actor=world.an,
            objective_set=objective_set,
            data=objective_data(source="test.on_time", target=Decimal("95")),
        )
        services.plan_action_create(actor=world.an, objective=objective, data=action_data(2026))
        issue(world, objective_set)
        measured = services.measurement_compute(actor=world.an, objective=objective, period=2)
    assert measured.value == Decimal("96.40") and measured.met is True
    assert measured.source == "test.on_time"
    # the current quarter is computed up to today, never beyond
    assert calls == [("A", datetime.date(2026, 4, 1), datetime.date(2026, 5, 10))]
    assert Measurement.objects.count() == 1


@pytest.mark.django_db
def test_a_source_without_data_records_nothing(world, fake_source, settings, tmp_path):
    from eiso.core.errors import ValidationFailed
    from eiso.objectives.tests.factories import issued_set

    settings.MEDIA_ROOT = tmp_path
    import time_machine

    with time_machine.travel(at(2026, 5, 10), tick=False):
        objective = issued_set(world, world.B, 2026, source="test.on_time").objectives.get()
        with pytest.raises(ValidationFailed, match="no data"):
            services.measurement_compute(actor=world.chi, objective=objective, period=1)
        with pytest.raises(ValidationFailed, match="typed in"):
            services.measurement_compute(
                actor=world.an,
                objective=issued_set(world, world.A, 2026).objectives.get(),
                period=1,
            )
    assert not Measurement.objects.exists()
