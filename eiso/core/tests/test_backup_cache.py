"""A restore empties the cache (``eiso.core.backup.forget_kept_results``): the round trip itself
runs in ``manage.py`` subprocesses (test_backup_restore.py, marker ``slow``), whose cache this
process cannot see."""

from __future__ import annotations

from eiso.core.backup import forget_kept_results


def test_a_restore_empties_the_cache_of_what_the_replaced_database_computed(settings):
    from django.core.cache import cache

    cache.set("kept:dashboard", "computed from the database before the restore")
    assert forget_kept_results() == []
    assert cache.get("kept:dashboard") is None


def test_a_cache_sharing_the_broker_s_redis_database_is_left_and_said(settings):
    from django.core.cache import cache

    settings.CACHE_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    cache.set("kept:dashboard", "kept")  # the test's cache is still the process's memory
    notes = forget_kept_results()
    assert cache.get("kept:dashboard") == "kept"
    assert len(notes) == 1 and "Celery" in notes[0]
