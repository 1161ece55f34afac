import datetime

import pytest
import time_machine

from eiso.objectives.tests.conftest import at


@pytest.fixture
def december():
    """The clock stopped on 20/12/2023: the year's obligations are all due."""
    with time_machine.travel(at(2023, 12, 20), tick=False) as traveller:
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


DAY = datetime.date(2023, 12, 20)
