"""The rendered comment threads that anonymous readers get, cached per comments version.

Most readers of a debate are not logged in, and for them a page of threads is the same
HTML for everyone: no forms, no reactions of their own, no moderation. Rendering a page
of a busy debate (a window of threads and their first replies) costs far more than the queries, so
that HTML is cached under (debate, comments version, window, language). The version is a
database row bumped by signal receivers whenever a comment, its detail or a reaction
changes (debates/receivers.py), so a new comment shows at once on every worker, whatever
the cache backend. Logged-in people always get the threads rendered live.

The cache also ages out (CACHE_SECONDS): an author's name is read live from their user
record, which does not bump the version.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import translation

from debates.models import CommentsVersion

CACHE_SECONDS = 600
KEY_PREFIX = "debates:threads"


def comments_version_get(debate_id: int) -> int:
    """The debate's comments version (one query; one more the first time)."""
    number = (
        CommentsVersion.objects.filter(debate_id=debate_id).values_list("number", flat=True).first()
    )
    if number is not None:
        return number
    try:
        with transaction.atomic():
            return CommentsVersion.objects.create(debate_id=debate_id, number=time.time_ns()).number
    except IntegrityError:  # created by a concurrent request
        return CommentsVersion.objects.get(debate_id=debate_id).number


def comments_version_bump(debate_id: int) -> None:
    """Give the debate a new comments version: cached threads stop being served.

    Part of the writer's transaction, so readers see the new number together with the
    change it stands for, never before it."""
    updated = CommentsVersion.objects.filter(debate_id=debate_id).update(
        # Past the clock and past the old number, should the clock have gone back.
        number=Greatest(F("number") + 1, Value(time.time_ns()))
    )
    if not updated:
        comments_version_get(debate_id)


def threads_cache_key(*, debate_id: int, version: int, window: str) -> str:
    """`window`: WindowSpec.cache_part(), built from ids already checked to be digits
    (threads.id_param), so no free text reaches the key."""
    return f"{KEY_PREFIX}:{debate_id}:{version}:{window}:{translation.get_language()}"


def threads_cache_get(key: str) -> dict[str, Any] | None:
    return cache.get(key)


def threads_cache_set(key: str, value: dict[str, Any]) -> None:
    cache.set(key, value, CACHE_SECONDS)
