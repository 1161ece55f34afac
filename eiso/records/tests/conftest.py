import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def april():
    """The clock stopped on 15/04/2026 at 10:00 (Asia/Ho_Chi_Minh)."""
    with time_machine.travel(at(2026, 4, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture
def catalogue(db):
    from eiso.records.tests.factories import KHAI_SINH, procedure

    return {
        "lltp": procedure(),
        "khai_sinh": procedure(KHAI_SINH, "Đăng ký khai sinh", "commune"),
    }


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield
