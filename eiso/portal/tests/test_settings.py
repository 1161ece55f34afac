"""The portal's settings from the environment: the shared cache and the rate limits, refused
loudly when malformed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
    "django.setup(); from django.conf import settings as s; "
    "print(s.PUBLIC_RATE_LIMITS, s.CACHES['default']['BACKEND'])"
)


def _read(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "PUBLIC_RATE_LIMITS")}
    clean.update({"EISO_DEV": "1", **env})
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_rate_limits_and_the_shared_cache_come_from_the_environment():
    done = _read(
        PUBLIC_RATE_LIMITS="page=600/60, rating=20/3600", CACHE_URL="redis://127.0.0.1:6379/1"
    )
    assert done.returncode == 0, done.stderr
    assert "{'page': (600, 60), 'rating': (20, 3600)}" in done.stdout
    assert "RedisCache" in done.stdout
    default = _read()
    assert "{} " in default.stdout and "LocMemCache" in default.stdout


def test_malformed_values_are_refused_at_start():
    for value in ("page=x", "pages=10/60", "page=0/60", "page=10"):
        refused = _read(PUBLIC_RATE_LIMITS=value)
        assert refused.returncode != 0 and "PUBLIC_RATE_LIMITS" in refused.stderr, value
    assert "CACHE_URL" in _read(CACHE_URL="memcached://x").stderr
