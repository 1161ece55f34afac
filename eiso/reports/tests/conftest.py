import pytest
import time_machine

from eiso.objectives.tests.conftest import at


@pytest.fixture
def december():
    """The clock stopped on 10/12/2026, a few days before the annual report is due."""
    with time_machine.travel(at(2026, 12, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english():
    """Services' messages in English, so tests can match their words."""
    from django.utils import translation

    with translation.override("en"):
        yield
