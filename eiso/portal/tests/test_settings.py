"""The portal's settings from the environment: the shared cache and the rate limits, refused
loudly when malformed. The settings module is run as at start, with the environment given
(``runpy``: the same code, without starting a Python process per case)."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"


def _read(monkeypatch, **env) -> dict:
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.delenv("PUBLIC_RATE_LIMITS", raising=False)
    monkeypatch.setenv("EISO_DEV", "1")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_rate_limits_and_the_shared_cache_come_from_the_environment(monkeypatch):
    done = _read(
        monkeypatch,
        PUBLIC_RATE_LIMITS="page=600/60, rating=20/3600",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert done["PUBLIC_RATE_LIMITS"] == {"page": (600, 60), "rating": (20, 3600)}
    assert done["CACHES"]["default"]["BACKEND"].endswith("RedisCache")
    default = _read(monkeypatch)
    assert default["PUBLIC_RATE_LIMITS"] == {}
    assert default["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.parametrize("value", ["page=x", "pages=10/60", "page=0/60", "page=10"])
def test_malformed_rate_limits_are_refused_at_start(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_RATE_LIMITS"):
        _read(monkeypatch, PUBLIC_RATE_LIMITS=value)


def test_a_cache_url_that_is_not_redis_is_refused_at_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        _read(monkeypatch, CACHE_URL="memcached://x")
