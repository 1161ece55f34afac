"""The web process's garbage collector (eiso/core/runtime.py, config/wsgi.py)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eiso.core.runtime import OLDER_GENERATIONS, tune_gc

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def restored_gc():
    saved = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*saved)


def test_the_loaded_objects_are_frozen_and_the_young_collected_less_often(restored_gc):
    gc.unfreeze()
    assert tune_gc(12_345) is True
    assert gc.get_threshold() == (12_345, *OLDER_GENERATIONS)
    assert gc.get_freeze_count() > 1_000  # this process's modules, classes, functions…


def test_zero_leaves_python_s_collector_as_it_is(restored_gc):
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    assert tune_gc(0) is False
    assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0


@pytest.mark.parametrize(("setting", "expected"), [("", "50000 True"), ("0", "700 False")])
def test_the_wsgi_application_applies_gc_threshold(setting, expected):
    """A fresh process importing config.wsgi, as gunicorn's workers do."""
    env = {**os.environ, "GC_THRESHOLD": setting, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.setdefault("EISO_DEV", "1")
    script = "import gc, config.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected
