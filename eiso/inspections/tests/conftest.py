import pytest
import time_machine

from eiso.inspections.tests.factories import at


@pytest.fixture
def june():
    """The clock stopped on 15/06/2026, inside the 2026 plan's period (01/06 – 30/09)."""
    with time_machine.travel(at(2026, 6, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english():
    """Services' messages in English, so tests can match their words (pages pick their own
    language per request)."""
    from django.utils import translation

    with translation.override("en"):
        yield
