import pytest
import time_machine
from django.core.cache import cache

from eiso.objectives.tests.conftest import at


@pytest.fixture
def june():
    """The clock stopped on Wednesday 17/06/2026."""
    with time_machine.travel(at(2026, 6, 17), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, form tokens and cached public pages of one test never reach the next."""
    cache.clear()
    yield
    cache.clear()


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
