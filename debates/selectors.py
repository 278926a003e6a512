"""Reads: debates of a space, a debate's comment threads, reports, and the data blocks.

The comment threads are read in a fixed number of queries whatever their size: one page
of top-level threads, then every comment of those threads with their authors, officials
and details joined in, then the reactions counted in one aggregate. The tree is built in
Python. Tests hold this to the same query count for 10 and 1,000 comments.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from debates import rules, territory, threads_cache
from debates.forms import DebateCommentForm
from debates.markup import comment_html_render
from debates.models import (
    CommentDetail,
    DebateFollow,
    DebateIndexPage,
    DebatePage,
    DebateState,
    Official,
)

THREADS_PER_PAGE = 20


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


# ---- Comment threads ----


@dataclass
class CommentNode:
    comment: XtdComment
    html: SafeString
    author: str
    role: str
    entity_code: str
    entity_name: str
    level: int
    hidden: bool
    hidden_reason: str
    edited: bool
    likes: int = 0
    flags: int = 0
    liked: bool = False
    flagged: bool = False
    can_reply: bool = False
    can_edit: bool = False
    can_react: bool = False
    can_delete: bool = False
    own: bool = False
    deleted: bool = False
    children: list[CommentNode] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.comment.pk


@dataclass
class ThreadPage:
    threads: list[CommentNode]
    page_number: int
    num_pages: int
    total_threads: int
    total_comments: int
    has_previous: bool
    has_next: bool


@dataclass(frozen=True)
class Permissions:
    can_read: bool
    can_comment: bool
    can_react: bool
    can_flag: bool
    is_moderator: bool
    refusal: rules.DebateActionError | None


def debate_permissions(*, user, debate: DebatePage) -> Permissions:
    is_moderator = rules.user_is_moderator(user)
    refusal = None
    try:
        rules.comment_authorize(user=user, debate=debate)
        can_comment = True
    except rules.DebateActionError as error:
        can_comment = False
        refusal = error
    try:
        rules.participant_check(user=user, space=rules.debate_space(debate))
        can_flag = True
    except rules.DebateActionError:
        can_flag = False
    return Permissions(
        can_read=True,
        can_comment=can_comment,
        can_react=can_comment,
        can_flag=can_flag,
        is_moderator=is_moderator,
        refusal=refusal,
    )


def comment_queryset(debate: DebatePage):
    content_type = ContentType.objects.get_for_model(DebatePage)
    return XtdComment.norel_objects.filter(
        content_type=content_type, object_pk=str(debate.pk), site_id=settings.SITE_ID
    )


def comment_threads_page(
    *,
    debate: DebatePage,
    user,
    page_number: Any = 1,
    permissions: Permissions | None = None,
    per_page: int = THREADS_PER_PAGE,
) -> ThreadPage:
    """One page of top-level threads with all their replies, as a tree of CommentNode."""
    permissions = permissions or debate_permissions(user=user, debate=debate)
    comments = comment_queryset(debate)
    roots = comments.filter(level=0).order_by("submit_date", "pk").values_list("pk", flat=True)
    paginator = Paginator(roots, per_page)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(max(paginator.num_pages, 1))
    thread_ids = list(page.object_list)
    rows = list(
        comments.filter(thread_id__in=thread_ids)
        .select_related("user", "user__official", "detail")
        .order_by("thread_id", "order")
    )
    ids = [row.pk for row in rows]
    likes: Counter[int] = Counter()
    flags: Counter[int] = Counter()
    mine: set[tuple[int, str]] = set()
    if ids:
        for item in (
            CommentFlag.objects.filter(
                comment_id__in=ids, flag__in=[LIKEDIT_FLAG, CommentFlag.SUGGEST_REMOVAL]
            )
            .values("comment_id", "flag")
            .annotate(n=Count("pk"))
        ):
            target = likes if item["flag"] == LIKEDIT_FLAG else flags
            target[item["comment_id"]] = item["n"]
        if user.is_authenticated:
            mine = set(
                CommentFlag.objects.filter(comment_id__in=ids, user=user).values_list(
                    "comment_id", "flag"
                )
            )
    now = timezone.now()
    max_level = rules.max_thread_level()
    edit_window = rules.comment_edit_window()
    debate_open = debate.live and debate.state != DebateState.CLOSED
    nodes: dict[int, CommentNode] = {}
    threads: dict[int, CommentNode] = {}
    for row in rows:
        node = comment_node_build(row)
        node.likes = likes[row.pk]
        node.flags = flags[row.pk] if permissions.is_moderator else 0
        node.liked = (row.pk, LIKEDIT_FLAG) in mine
        node.flagged = (row.pk, CommentFlag.SUGGEST_REMOVAL) in mine
        node.own = user.is_authenticated and row.user_id == user.pk
        gone = node.hidden or node.deleted
        node.can_reply = permissions.can_comment and row.level < max_level and not gone
        node.can_react = permissions.can_react and not node.own and not gone
        in_window = now - row.submit_date <= edit_window
        node.can_edit = node.own and permissions.can_comment and not gone and in_window
        node.can_delete = node.own and debate_open and not gone
        nodes[row.pk] = node
        if row.parent_id == row.pk or row.parent_id not in nodes:
            threads[row.thread_id] = node
        else:
            nodes[row.parent_id].children.append(node)
    return ThreadPage(
        threads=[threads[pk] for pk in thread_ids if pk in threads],
        page_number=page.number,
        num_pages=paginator.num_pages,
        total_threads=paginator.count,
        total_comments=0,
        has_previous=page.has_previous(),
        has_next=page.has_next(),
    )


def comment_node_build(row: XtdComment) -> CommentNode:
    detail: CommentDetail | None = getattr(row, "detail", None)
    official: Official | None = getattr(row.user, "official", None) if row.user_id else None
    entity_code = (detail.entity_code if detail else "") or (
        official.entity_code if official else ""
    )
    role = (detail.role if detail else "") or (official.role if official else "")
    deleted = bool(detail and detail.is_deleted)
    hidden = (bool(detail and detail.is_hidden) or row.is_removed) and not deleted
    html = detail.html if detail and detail.html else comment_html_render(row.comment)
    author = row.user.get_full_name() if row.user_id else ""
    return CommentNode(
        comment=row,
        # Sanitised by nh3 when written (markup.comment_html_render).
        html=mark_safe(html),  # noqa: S308
        author=author or row.user_name,
        role=str(Official.Role(role).label) if role in Official.Role.values else "",
        entity_code=entity_code,
        entity_name=territory.entity_name(entity_code) if entity_code else "",
        level=row.level,
        hidden=hidden,
        hidden_reason=(detail.hidden_reason if detail else ""),
        edited=bool(detail and detail.edited_at),
        deleted=deleted,
    )


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
    if user.is_authenticated:
        threads = comment_threads_page(
            debate=canonical,
            user=user,
            page_number=request.GET.get("page", 1),
            permissions=permissions,
        )
        threads.total_comments = comment_queryset(canonical).count()
        threads_html, entity_counts = None, comment_counts_by_entity(debate=canonical)
    else:
        threads, threads_html, entity_counts = public_threads(
            debate=canonical, page=debate, request=request, permissions=permissions
        )
    form = kwargs.get("comment_form") or DebateCommentForm(canonical)
    security = {name: form[name].value() for name in DebateCommentForm.SECURITY_FIELDS}
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
        "following": following,
        "space": space,
        "edit_minutes": int(rules.comment_edit_window().total_seconds() // 60),
        "max_length": rules.comment_max_length(),
    }


def public_threads(
    *, debate: DebatePage, page: DebatePage, request: HttpRequest, permissions: Permissions
) -> tuple[ThreadPage, SafeString, list[dict[str, Any]]]:
    """(threads summary, rendered thread list, counts by entity) for an anonymous reader,
    from the cache when the debate's comments have not changed (debates/threads_cache.py):
    one query on a hit, instead of four and the rendering."""
    page_number = threads_cache.page_number_parse(request.GET.get("page"))
    key = threads_cache.threads_cache_key(
        debate_id=debate.pk,
        version=threads_cache.comments_version_get(debate.pk),
        page_number=page_number,
    )
    cached = threads_cache.threads_cache_get(key)
    if cached is None:
        threads = comment_threads_page(
            debate=debate, user=request.user, page_number=page_number, permissions=permissions
        )
        threads.total_comments = comment_queryset(debate).count()
        html = render_to_string(
            "debates/includes/thread_list.html",
            {"threads": threads, "permissions": permissions, "page": page},
            request=request,
        )
        summary = {name: getattr(threads, name) for name in THREAD_PAGE_SUMMARY}
        cached = {
            "summary": summary,
            "html": str(html),
            "entity_counts": comment_counts_by_entity(debate=debate),
        }
        threads_cache.threads_cache_set(key, cached)
    threads = ThreadPage(threads=[], **cached["summary"])
    # The HTML was rendered by our own template from nh3-sanitised comment text.
    return threads, mark_safe(cached["html"]), cached["entity_counts"]  # noqa: S308


THREAD_PAGE_SUMMARY = (
    "page_number",
    "num_pages",
    "total_threads",
    "total_comments",
    "has_previous",
    "has_next",
)


def comment_thread_page_number(*, comment: XtdComment, per_page: int = THREADS_PER_PAGE) -> int:
    """Which page of threads shows this comment (its thread's position among the roots)."""
    root = XtdComment.norel_objects.filter(pk=comment.thread_id).first() or comment
    content_type = ContentType.objects.get_for_model(DebatePage)
    before = (
        XtdComment.norel_objects.filter(
            content_type=content_type, object_pk=comment.object_pk, level=0
        )
        .filter(
            Q(submit_date__lt=root.submit_date) | Q(submit_date=root.submit_date, pk__lt=root.pk)
        )
        .count()
    )
    return before // per_page + 1
