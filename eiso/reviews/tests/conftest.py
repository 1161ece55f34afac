import pytest
import time_machine

from eiso.objectives.tests.conftest import at


@pytest.fixture
def november():
    """The clock stopped on 16/11/2026, the season of internal audits."""
    with time_machine.travel(at(2026, 11, 16), tick=False) as traveller:
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


@pytest.fixture(autouse=True)
def _question_bank(db):
    """The clauses and the question bank (a data migration): loaded again when a
    transactional test flushed them."""
    from eiso.audits.tests.factories import load_bank

    load_bank()
