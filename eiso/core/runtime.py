"""The web process's Python runtime, tuned for serving requests (config/wsgi.py)."""

from __future__ import annotations

import gc

# Python's second and third generations: collected after 20 and 100 collections of the one
# below (Python's own defaults are 10 and 10).
OLDER_GENERATIONS = (20, 100)


def tune_gc(threshold: int) -> bool:
    """Python's garbage collector for a process that serves requests, once its code is loaded:
    everything alive now (modules, classes, URL patterns, templates: what every request uses)
    is frozen — never scanned again — and the youngest generation is collected after
    ``threshold`` allocations instead of 700. A page allocates tens of thousands of objects, so
    with the defaults the collector ran many times per request and rescanned the whole loaded
    application each full collection: 2.0–2.6 ms of a secretary's 21–30 ms page, 0.4–0.9 ms
    after (in process, timed by ``gc.callbacks``; bench/README.md, "Load test"). The garbage of
    one request is still collected at once: with 50,000 a collection comes every request or
    two. ``threshold`` 0 or less: Python's defaults, nothing frozen. Returns whether it changed
    anything."""
    if threshold <= 0:
        return False
    gc.collect()
    gc.freeze()
    gc.set_threshold(threshold, *OLDER_GENERATIONS)
    return True
