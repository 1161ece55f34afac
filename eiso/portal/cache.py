"""The public pages' cache: a page is kept per address, query string and language under the
current *version*; anything the pages show changing (an announcement published, a procedure or
form marked public, a revision issued, an agency renamed…) moves the version on, so every page
is rendered afresh on its next visit (``signals.py``). Pages also expire after ``TIMEOUT``.

With several app processes, use a shared cache (``CACHE_URL``, Redis): the version and the
pages are then shared; with each process's own memory a change reaches the other processes'
pages at the latest after ``TIMEOUT``."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

VERSION_KEY = "portal:version"
TIMEOUT = 300  # seconds a page is kept
BROWSER_MAX_AGE = 60  # seconds a browser or a proxy may keep it


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY) or 1
    return int(value)


def bump() -> None:
    """Every cached page is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any value differs from the cached pages'
        cache.set(VERSION_KEY, version() + 1, None)


def _key(request) -> str:
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    raw = f"{request.path}?{query}|{get_language()}|{version()}"
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_page(view):
    """Serve GET/HEAD from the cache when the page was rendered under the current version;
    else render it and keep it when it is a plain 200 without cookies. Cached or not, a
    public page may be kept by browsers and proxies for ``BROWSER_MAX_AGE`` seconds (signed-in
    people still get ``no-store`` from ``NoStoreMiddleware``)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
            )
            if cacheable:
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
                response["X-Portal-Cache"] = "miss"
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        return response

    return wrapper
