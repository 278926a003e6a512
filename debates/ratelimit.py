"""A fixed-window counter in Django's cache: how many times a key was hit in its window.

One helper for every rate limit counted in the cache (debate edits, survey answers): exact
across processes with a shared cache (DJANGO_CACHE_URL), per worker with the default
local-memory one.
"""

from __future__ import annotations

from django.core.cache import cache


def window_count_incr(key: str, seconds: int) -> int:
    """Count one hit of ``key`` and return the hits in its current ``seconds`` window."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
