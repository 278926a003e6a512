"""A debate's comment threads, read one bounded window at a time.

A debate with 10,000 comments must open as fast as one with 10 (Decidim's acceptance
case, decidim#12578): the page renders the first THREADS_PER_WINDOW top-level threads,
each with its first REPLIES_SHOWN replies, and links fetch the rest in further windows
("Show more comments", "Show N more replies"). Every window is found by keyset, never by
OFFSET: top-level threads by (submit_date, id) after a given root; the replies of a
thread by xtd's `order`, the comment's depth-first position in its thread, so that any
prefix of a thread is a tree and any later range hangs from comments already shown.

A window reads a fixed number of queries whatever the debate's size: the roots, the
comments of the window, their reply counts in one aggregate, the reactions in one
aggregate (and the reader's own reactions when logged in). The tree is built in Python.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from debates import rules, territory
from debates.markup import comment_html_render
from debates.models import CommentDetail, DebatePage, DebateState, Official

# A window renders at most THREADS_PER_WINDOW * (1 + REPLIES_SHOWN) comments: the page of
# a 10,000-comment debate costs at most twice the page of a 10-comment one (the benchmark).
THREADS_PER_WINDOW = 8
REPLIES_SHOWN = 2  # replies under each top-level comment in a window of threads
REPLIES_PER_WINDOW = 40  # replies fetched by one "Show more replies"
ID_DIGITS = 12  # a longer number is no comment of ours: refused before the database


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
    # On a thread's root: replies not shown yet, and the `order` the next window starts after.
    more_replies: int = 0
    shown_upto: int = 0

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def next_upto(self) -> int:
        return self.shown_upto + REPLIES_PER_WINDOW


@dataclass(frozen=True)
class WindowSpec:
    """Which window of threads to show, from the query string.

    after: show the threads after this root; thread: start at this root (inclusive) and
    show its comments up to `upto` (an anchored comment, or "more replies" without JS)."""

    after: int | None = None
    thread: int | None = None
    upto: int = 0

    def cache_part(self) -> str:
        return f"a{self.after or 0}t{self.thread or 0}u{self.upto}"


@dataclass(frozen=True)
class Permissions:
    can_read: bool
    can_comment: bool
    can_react: bool
    can_flag: bool
    is_moderator: bool
    refusal: rules.DebateActionError | None


@dataclass
class ThreadWindow:
    threads: list[CommentNode]
    total_comments: int = 0
    has_next: bool = False
    next_after: int | None = None
    starts_later: bool = False


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


# ---- Query strings ----


def id_param(query: QueryDict, name: str) -> int | None:
    """A positive id from the query string, None when absent; 400 when it is not one."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > ID_DIGITS or int(raw) == 0:
        raise BadRequest(f"{name}: not an id")
    return int(raw)


def window_spec_parse(*, debate: DebatePage, query: QueryDict) -> WindowSpec:
    """The window a page URL asks for: ?after=<root>, ?thread=<root>&upto=<order>, or
    ?comment=<id> (the window that holds that comment: links from e-mails and the inbox).
    A malformed value is a 400; a comment of another debate, a 404."""
    after = id_param(query, "after")
    thread = id_param(query, "thread")
    upto = id_param(query, "upto") or 0
    target = id_param(query, "comment")
    if target is not None:
        row = comment_queryset(debate).filter(pk=target).values_list("thread_id", "order").first()
        if row is None:
            raise Http404("No such comment in this debate.")
        thread, upto = row[0], max(row[1], REPLIES_SHOWN + 1)
        after = None
    if thread is not None:
        return WindowSpec(thread=thread, upto=max(upto, REPLIES_SHOWN + 1))
    return WindowSpec(after=after)


def _root_position(debate: DebatePage, root_id: int) -> tuple[Any, int]:
    row = (
        comment_queryset(debate)
        .filter(pk=root_id, level=0)
        .values_list("submit_date", "pk")
        .first()
    )
    if row is None:
        raise Http404("No such thread in this debate.")
    return row


# ---- Windows ----


def thread_window_read(
    *, debate: DebatePage, user, spec: WindowSpec, permissions: Permissions
) -> ThreadWindow:
    """The threads of one window, each with its first replies, as trees of CommentNode."""
    comments = comment_queryset(debate)
    roots = comments.filter(level=0).order_by("submit_date", "pk")
    start = spec.thread or spec.after
    if start is not None:
        date, pk = _root_position(debate, start)
        inclusive = Q(pk=pk) if spec.thread else Q(pk__in=[])
        roots = roots.filter(Q(submit_date__gt=date) | Q(submit_date=date, pk__gt=pk) | inclusive)
    root_ids = list(roots.values_list("pk", flat=True)[: THREADS_PER_WINDOW + 1])
    has_next = len(root_ids) > THREADS_PER_WINDOW
    root_ids = root_ids[:THREADS_PER_WINDOW]
    shown = Q(order__lte=REPLIES_SHOWN + 1)
    if spec.thread:
        shown |= Q(thread_id=spec.thread, order__lte=spec.upto)
    # By thread only: a thread is one debate's (its root was read from it above), and the
    # thread_id index then reads these threads alone, not every comment of the debate.
    in_threads = XtdComment.norel_objects.filter(thread_id__in=root_ids)
    rows = list(
        in_threads.filter(shown)
        .select_related("user", "user__official", "detail")
        .order_by("thread_id", "order")
    )
    sizes = dict(
        in_threads.values("thread_id").annotate(n=Count("pk")).values_list("thread_id", "n")
    )
    nodes = nodes_decorate(rows=rows, debate=debate, user=user, permissions=permissions)
    threads = {node.comment.thread_id: node for node in tree_build(nodes) if node.level == 0}
    for thread_id, root in threads.items():
        in_thread = [node for node in nodes if node.comment.thread_id == thread_id]
        root.shown_upto = max(node.comment.order for node in in_thread)
        root.more_replies = max(sizes.get(thread_id, 0) - len(in_thread), 0)
    return ThreadWindow(
        threads=[threads[pk] for pk in root_ids if pk in threads],
        has_next=has_next,
        next_after=root_ids[-1] if has_next else None,
        starts_later=start is not None,
    )


@dataclass
class RepliesWindow:
    subtrees: list[CommentNode]
    thread_id: int
    more_replies: int
    shown_upto: int

    @property
    def next_upto(self) -> int:
        return self.shown_upto + REPLIES_PER_WINDOW


def replies_window_read(
    *, debate: DebatePage, user, thread_id: int, after_order: int, permissions: Permissions
) -> RepliesWindow:
    """The next REPLIES_PER_WINDOW replies of a thread after position `after_order`, as
    subtrees each hanging from a comment already on the page, and how many are left."""
    comments = comment_queryset(debate)
    if not comments.filter(pk=thread_id, level=0).exists():
        raise Http404("No such thread in this debate.")
    last = after_order + REPLIES_PER_WINDOW
    in_thread = XtdComment.norel_objects.filter(thread_id=thread_id)  # of this debate: above
    rows = list(
        in_thread.filter(order__gt=after_order, order__lte=last)
        .select_related("user", "user__official", "detail")
        .order_by("order")
    )
    remaining = in_thread.filter(order__gt=last).count()
    nodes = nodes_decorate(rows=rows, debate=debate, user=user, permissions=permissions)
    return RepliesWindow(
        subtrees=tree_build(nodes), thread_id=thread_id, more_replies=remaining, shown_upto=last
    )


def comment_node_read(*, comment: XtdComment, user, permissions: Permissions) -> CommentNode:
    """One comment as the thread shows it (a reply just posted)."""
    row = XtdComment.norel_objects.select_related("user", "user__official", "detail").get(
        pk=comment.pk
    )
    debate = rules.comment_debate(row)
    return nodes_decorate(rows=[row], debate=debate, user=user, permissions=permissions)[0]


def tree_build(nodes: list[CommentNode]) -> list[CommentNode]:
    """Attach each node to its parent when the parent is among `nodes` (given parents
    first); the others are returned: thread roots, or subtrees of a later window."""
    by_id: dict[int, CommentNode] = {}
    tops: list[CommentNode] = []
    for node in nodes:
        row = node.comment
        by_id[row.pk] = node
        if row.parent_id != row.pk and row.parent_id in by_id:
            by_id[row.parent_id].children.append(node)
        else:
            tops.append(node)
    return tops


def nodes_decorate(
    *, rows: list[XtdComment], debate: DebatePage, user, permissions: Permissions
) -> list[CommentNode]:
    """CommentNodes for `rows` with their reactions and what the reader may do on each."""
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
    nodes = []
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
        nodes.append(node)
    return nodes


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


def comment_link(url: str, comment_id: int) -> str:
    """A link that lands on the comment however deep in the debate it is: the server
    renders the window holding it (?comment=), the browser scrolls to it (#c)."""
    base = url.split("#")[0].split("?")[0]
    return f"{base}?comment={comment_id}#c{comment_id}"
