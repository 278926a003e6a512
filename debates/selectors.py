"""Reads: debates of a space, a debate's comment threads, reports, and the data blocks.

The comment threads are read one bounded window at a time (debates/threads.py), in a
fixed number of queries whatever the debate's size; tests hold the page to the same query
count for 10 and 200 comments, and the benchmark to the same time for 10 and 10,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from debates import rules, territory, threads_cache
from debates.forms import DebateCommentForm
from debates.models import CommentDetail, DebateFollow, DebateIndexPage, DebatePage, DebateState
from debates.threads import (
    Permissions,
    ThreadWindow,
    WindowSpec,
    comment_queryset,
    debate_permissions,
    thread_window_read,
    window_spec_parse,
)

# ---- Spaces and debates ----


def space_debates(*, space: DebateIndexPage) -> dict[str, list[DebatePage]]:
    """The space's live debates grouped by state: open first, then upcoming, then closed."""
    groups: dict[str, list[DebatePage]] = {
        DebateState.OPEN: [],
        DebateState.UPCOMING: [],
        DebateState.CLOSED: [],
    }
    debates = DebatePage.objects.child_of(space).live().specific().order_by("-opens_at")
    canonical_ids = {}
    for debate in debates:
        groups[debate.state].append(debate)
        canonical_ids[debate.pk] = debate.translation_key
    counts = comment_counts_by_translation_key(list(canonical_ids.values()))
    for debate in debates:
        debate.comment_count = counts.get(debate.translation_key, 0)
    return groups


def comment_counts_by_translation_key(keys: list[Any]) -> dict[Any, int]:
    rows = (
        CommentDetail.objects.filter(debate__translation_key__in=keys)
        .values("debate__translation_key")
        .annotate(n=Count("pk"))
    )
    return {row["debate__translation_key"]: row["n"] for row in rows}


@dataclass(frozen=True)
class NamedEntity:
    entity_code: str
    name: str
    comarca: str
    population: int | None


def entities_named(codes: list[str]) -> list[NamedEntity]:
    known = territory.entities_by_code()
    result = []
    for code in codes:
        info = known.get(code)
        result.append(
            NamedEntity(
                entity_code=code,
                name=info.name if info else code,
                comarca=info.comarca if info else "",
                population=info.population if info else None,
            )
        )
    return sorted(result, key=lambda entity: entity.name)


# ---- Comment threads (windows: debates/threads.py) ----


def comment_counts_by_entity(*, debate: DebatePage) -> list[dict[str, Any]]:
    """Visible comments per entity, most active first."""
    rows = (
        CommentDetail.objects.filter(debate=debate, hidden_at__isnull=True, deleted_at__isnull=True)
        .exclude(entity_code="")
        .values("entity_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "entity_code")
    )
    return [
        {
            "entity_code": row["entity_code"],
            "name": territory.entity_name(row["entity_code"]),
            "count": row["n"],
        }
        for row in rows
    ]


def debate_page_context(
    *, debate: DebatePage, request: HttpRequest, **kwargs: Any
) -> dict[str, Any]:
    """Everything the debate template needs beyond the page itself."""
    canonical = rules.debate_canonical(debate)
    user = request.user
    permissions = debate_permissions(user=user, debate=canonical)
    spec = window_spec_parse(debate=canonical, query=request.GET)
    if user.is_authenticated:
        threads = thread_window_read(
            debate=canonical, user=user, spec=spec, permissions=permissions
        )
        threads.total_comments, entity_counts = debate_counts(debate=canonical)
    form = kwargs.get("comment_form") or DebateCommentForm(canonical)
    security = {name: form[name].value() for name in DebateCommentForm.SECURITY_FIELDS}
    if user.is_authenticated:
        # Rendered apart, in a context of its own: each variable of each comment is then
        # looked up in a few dictionaries, not in the whole page's stack of contexts
        # (a third of the page's time for a window of comments, measured).
        threads_html = render_to_string(
            "debates/includes/thread_list.html",
            {
                "threads": threads,
                "permissions": permissions,
                "page": debate,
                "here": request.path,
                "comment_security": security,
                "comment_form": form,
                "reply_to": kwargs.get("reply_to"),
                "max_length": rules.comment_max_length(),
            },
            request=request,
        )
    else:
        threads, threads_html, entity_counts = public_threads(
            debate=canonical, page=debate, request=request, permissions=permissions, spec=spec
        )
    following = bool(
        user.is_authenticated and DebateFollow.objects.filter(user=user, debate=canonical).exists()
    )
    space = rules.debate_space(debate)
    return {
        "canonical": canonical,
        "permissions": permissions,
        "threads": threads,
        "comment_form": form,
        "comment_security": security,
        "comment_error": kwargs.get("comment_error"),
        "reply_to": kwargs.get("reply_to"),
        "entity_counts": entity_counts,
        "threads_html": threads_html,
        "here": request.path,
        "following": following,
        "space": space,
        "edit_minutes": int(rules.comment_edit_window().total_seconds() // 60),
        "max_length": rules.comment_max_length(),
    }


def debate_counts(*, debate: DebatePage) -> tuple[int, list[dict[str, Any]]]:
    """(comments in the debate, visible comments per entity): the same for every reader,
    so cached under the comments version; each an aggregate over the whole debate."""
    key = threads_cache.threads_cache_key(
        debate_id=debate.pk,
        version=threads_cache.comments_version_get(debate.pk),
        window="counts",
    )
    cached = threads_cache.threads_cache_get(key)
    if cached is None:
        cached = {
            "total": comment_queryset(debate).count(),
            "entities": comment_counts_by_entity(debate=debate),
        }
        threads_cache.threads_cache_set(key, cached)
    return cached["total"], cached["entities"]


def public_threads(
    *,
    debate: DebatePage,
    page: DebatePage,
    request: HttpRequest,
    permissions: Permissions,
    spec: WindowSpec,
) -> tuple[ThreadWindow, SafeString, list[dict[str, Any]]]:
    """(threads summary, rendered thread list, counts by entity) for an anonymous reader,
    from the cache when the debate's comments have not changed (debates/threads_cache.py):
    one query on a hit, instead of five and the rendering."""
    key = threads_cache.threads_cache_key(
        debate_id=debate.pk,
        version=threads_cache.comments_version_get(debate.pk),
        window=spec.cache_part(),
    )
    cached = threads_cache.threads_cache_get(key)
    if cached is None:
        threads = thread_window_read(
            debate=debate, user=request.user, spec=spec, permissions=permissions
        )
        threads.total_comments = comment_queryset(debate).count()
        html = render_to_string(
            "debates/includes/thread_list.html",
            {"threads": threads, "permissions": permissions, "page": page, "here": request.path},
            request=request,
        )
        cached = {
            "total_comments": threads.total_comments,
            "html": str(html),
            "entity_counts": comment_counts_by_entity(debate=debate),
        }
        threads_cache.threads_cache_set(key, cached)
    threads = ThreadWindow(threads=[], total_comments=cached["total_comments"])
    # The HTML was rendered by our own template from nh3-sanitised comment text.
    return threads, mark_safe(cached["html"]), cached["entity_counts"]  # noqa: S308
