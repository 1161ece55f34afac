import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=VN)


@pytest.fixture
def july():
    """The clock stopped on 15/07/2026, mid-year: Q1 and Q2 have ended, Q3 has started."""
    with time_machine.travel(at(2026, 7, 15), tick=False) as traveller:
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
