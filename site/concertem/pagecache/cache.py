"""The page cache's store: entries keyed on the request, generations per scope.

A cached page is stored with the generation of every scope it depends on, read *before*
the page was rendered. Invalidating a scope is one increment of its generation in the
shared cache (Redis in production): O(1), whatever the number of pages, and seen at once
by every process of every server, because each hit compares the entry's generations with
the current ones. A page rendered while a write was committing keeps the old generation,
so it is never served once the write's invalidation has run.

Scopes:
- ``site``: everything (a page edit or publish, a data publish or import, any other write);
- ``comments``: the pages outside debates that show something of the comments (counts,
  latest contributions): every comment change bumps it;
- ``debate:<translation key>``: one debate's pages, in every language (its comments);
  a debate page depends on ``site`` and on its own scope only, so a comment on one debate
  leaves the others cached.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SCOPE_SITE = "site"
SCOPE_COMMENTS = "comments"
# Every page depends on these two until the page says otherwise (a debate page).
SCOPES_DEFAULT = (SCOPE_SITE, SCOPE_COMMENTS)
KEY_PREFIX = "pagecache"


def debate_scope(translation_key: object) -> str:
    return f"debate:{translation_key}"


def generation_key(scope: str) -> str:
    return f"{KEY_PREFIX}:gen:{scope}"


def generations_get(scopes: list[str] | tuple[str, ...]) -> dict[str, int | None]:
    values = cache.get_many([generation_key(scope) for scope in scopes])
    return {scope: values.get(generation_key(scope)) for scope in scopes}


def generation_ensure(scope: str) -> int:
    """The scope's generation, created when missing (never used, or evicted).

    A new generation starts at the clock in nanoseconds, not at 0: should the shared
    cache evict the counter, the new one can never equal a generation an old entry
    was stored with, so an eviction can cost a miss but never serve a stale page.
    """
    key = generation_key(scope)
    cache.add(key, time.time_ns(), timeout=None)
    value = cache.get(key)
    return value if value is not None else time.time_ns()


def generation_bump(scope: str) -> None:
    key = generation_key(scope)
    try:
        cache.incr(key)
    except ValueError:  # missing: any new value invalidates what was stored
        cache.set(key, time.time_ns(), timeout=None)


def page_cache_invalidate(scope: str = SCOPE_SITE) -> None:
    """Stop serving the cached pages of ``scope`` (``"site"``: all of them).

    Call it after any write the ORM signals do not see: a data import or publish that
    writes files, a bulk ``QuerySet.update()``. Inside a transaction it runs when the
    transaction commits (a page rendered before the commit must not be stored as
    current); outside one, at once. It never raises: a cache that is down is logged,
    the write it follows is kept.
    """
    transaction.on_commit(lambda: _bump_logged(scope), robust=True)


def _bump_logged(scope: str) -> None:
    try:
        generation_bump(scope)
    except Exception:  # the cache server is down: the writer's work stands
        logger.exception("page cache: could not invalidate %s", scope)


def entry_key(request: HttpRequest, language_cookie: str) -> str:
    """One entry per scheme, host, path, query and remembered language (the cookie the
    response may set depends on it)."""
    raw = "|".join(
        (
            request.scheme,
            request.get_host(),
            request.path,
            request.META.get("QUERY_STRING", ""),
            language_cookie,
        )
    )
    return f"{KEY_PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def lookup(key: str) -> tuple[tuple | None, dict[str, int | None]]:
    """The entry under ``key`` (or None) and the default scopes' generations, in one
    round trip to the cache."""
    names = [key, *(generation_key(scope) for scope in SCOPES_DEFAULT)]
    values = cache.get_many(names)
    return values.get(key), {scope: values.get(generation_key(scope)) for scope in SCOPES_DEFAULT}


def entry_current(entry: tuple | None, generations: dict[str, int | None]) -> HttpResponse | None:
    """The entry's response if every generation it was stored with is still current.

    ``generations`` holds the ones read with the entry; any other is read here."""
    if entry is None:
        return None
    stored, response = entry
    missing = [scope for scope in stored if scope not in generations]
    current = {**generations, **(generations_get(missing) if missing else {})}
    for scope, generation in stored.items():
        if current.get(scope) is None or current[scope] != generation:
            return None
    return response


def entry_set(key: str, generations: dict[str, int], response: HttpResponse, seconds: int) -> None:
    cache.set(key, (dict(generations), response), seconds)
