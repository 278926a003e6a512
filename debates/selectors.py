"""Reads: debates of a space, a debate's comment threads, reports, and the data blocks.

The comment threads are read in a fixed number of queries whatever their size: one page
of top-level threads, then every comment of those threads with their authors, officials
and details joined in, then the reactions counted in one aggregate. The tree is built in
Python. Tests hold this to the same query count for 10 and 1,000 comments.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from datasets.allocation.inputs import allocation_of_file
from datasets.allocation.tables import allocation_result_rows, contribution_field
from debates import data_labels, rules, territory, threads_cache
from debates.forms import DebateCommentForm
from debates.markup import comment_html_render, comment_plain_text
from debates.models import (
    CommentDetail,
    CommentReport,
    DebateFollow,
    DebateIndexPage,
    DebatePage,
    DebateState,
    Official,
    entity_codes_parse,
)

logger = logging.getLogger(__name__)

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


# ---- Moderation ----


def moderation_queue() -> list[dict[str, Any]]:
    """Comments flagged for removal and still visible, most flagged first."""
    flagged = (
        CommentFlag.objects.filter(flag=CommentFlag.SUGGEST_REMOVAL)
        .values("comment_id")
        .annotate(n=Count("pk"))
    )
    counts = {row["comment_id"]: row["n"] for row in flagged}
    comments = (
        XtdComment.norel_objects.filter(pk__in=counts)
        .select_related("user", "detail", "detail__debate")
        .exclude(detail__hidden_at__isnull=False)
        .exclude(detail__deleted_at__isnull=False)
    )
    reasons = report_reasons(list(counts))
    items = [
        {
            "node": comment_node_build(c),
            "flags": counts[c.pk],
            "comment": c,
            "reasons": reasons.get(c.pk, []),
        }
        for c in comments
    ]
    items.sort(key=lambda item: (-item["flags"], item["comment"].submit_date))
    return items


def report_reasons(comment_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """The reasons given with the reports of these comments (one query)."""
    labels = dict(CommentReport.Reason.choices)
    result: dict[int, list[dict[str, str]]] = {}
    rows = (
        CommentReport.objects.filter(flag__comment_id__in=comment_ids)
        .values("flag__comment_id", "reason", "details")
        .order_by("flag__flag_date")
    )
    for row in rows:
        result.setdefault(row["flag__comment_id"], []).append(
            {"reason": str(labels.get(row["reason"], row["reason"])), "details": row["details"]}
        )
    return result


# ---- Reports ----


@dataclass
class ParticipationReport:
    debate: DebatePage
    total_comments: int
    hidden_comments: int
    by_day: list[tuple[date, int]]
    max_per_day: int
    participants: int
    entities_taking_part: list[NamedEntity]
    entities_invited: list[NamedEntity]
    invited_taking_part: int
    not_invited_taking_part: list[NamedEntity]
    population_represented: int
    province_population: int
    population_share: Decimal | None
    counts_by_entity: list[dict[str, Any]]


def participation_report(*, debate: DebatePage) -> ParticipationReport:
    canonical = rules.debate_canonical(debate)
    details = CommentDetail.objects.filter(debate=canonical)
    total = details.count()
    hidden = details.filter(hidden_at__isnull=False).count()
    by_day = [
        (row["day"], row["n"])
        for row in details.annotate(day=TruncDate("comment__submit_date"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    ]
    participants = details.values("comment__user_id").distinct().count()
    codes = sorted(set(details.exclude(entity_code="").values_list("entity_code", flat=True)))
    space = rules.debate_space(canonical)
    invited_codes = space.invited_entity_codes if space else []
    taking_part = entities_named(codes)
    population = sum(entity.population or 0 for entity in taking_part)
    province = territory.province_population()
    share = (
        (Decimal(population) * 100 / Decimal(province)).quantize(Decimal("0.01"))
        if province
        else None
    )
    return ParticipationReport(
        debate=canonical,
        total_comments=total,
        hidden_comments=hidden,
        by_day=by_day,
        max_per_day=max((n for _d, n in by_day), default=0),
        participants=participants,
        entities_taking_part=taking_part,
        entities_invited=entities_named(invited_codes),
        invited_taking_part=len(set(codes) & set(invited_codes)),
        not_invited_taking_part=[e for e in taking_part if e.entity_code not in invited_codes],
        population_represented=population,
        province_population=province,
        population_share=share,
        counts_by_entity=comment_counts_by_entity(debate=canonical),
    )


# ---- Data blocks ----


@dataclass
class DataTable:
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    unavailable: str = ""
    source: str = ""


def indicator_table(*, variables: list[str], entity_codes: str, year: int | None) -> DataTable:
    codes = entity_codes_parse(entity_codes)
    catalog = territory.variables_catalog()
    known = territory.entities_by_code()
    if not catalog or not known:
        return DataTable(columns=[], rows=[], unavailable="data-missing")
    variables = [name for name in variables if name in catalog]
    values = territory.variable_values(tuple(variables), tuple(codes))
    columns = []
    years: dict[str, int | None] = {}
    notes = []
    for name in variables:
        available = sorted(y for (v, y) in values if v == name)
        chosen = year if year in available else (available[-1] if available else None)
        if year and chosen != year and chosen is not None:
            notes.append(f"{data_labels.variable_title(name, catalog[name].title)}: {chosen}")
        years[name] = chosen
        title = data_labels.variable_title(name, catalog[name].title)
        columns.append(f"{title} ({chosen})" if chosen else title)
    rows = []
    for code in codes:
        entity = known.get(code)
        row: list[Any] = [entity.name if entity else code]
        for name in variables:
            chosen = years[name]
            value = values.get((name, chosen), {}).get(code) if chosen else None
            row.append(value)
        rows.append(row)
    source = ", ".join(
        sorted({data_labels.source_name(catalog[name].source) for name in variables})
    )
    return DataTable(columns=columns, rows=rows, notes=notes, source=source)


def formulas_dir() -> Path:
    return Path(
        getattr(settings, "DEBATES_FORMULAS_DIR", settings.REPO_DIR / "datasets" / "formulas")
    )


def formula_names() -> list[str]:
    try:
        return sorted(path.stem for path in formulas_dir().glob("*.toml"))
    except OSError:
        return []


def allocation_table(*, formula: str, entity_codes: str) -> DataTable:
    codes = entity_codes_parse(entity_codes)
    path = formulas_dir() / f"{formula}.toml"
    if not formula or "/" in formula or not path.is_file():
        return DataTable(columns=[], rows=[], unavailable="formula-missing")
    try:
        result = allocation_of_file(path)
        criteria = list(result.formula.criteria)
    except Exception:  # a formula being edited or data mid-rebuild must not break the page
        logger.exception("debates: allocation %s could not be computed", formula)
        return DataTable(columns=[], rows=[], unavailable="allocation-failed")
    language = get_language() or settings.LANGUAGE_CODE
    # The amounts exactly as allocations.csv publishes them (to the cent), so a reader who
    # adds a row up gets its total: adjustment and rounding get a column when any shown
    # row has one.
    published = {row["entity_code"]: row for row in allocation_result_rows(result)}
    shown = [published[code] for code in codes if code in published]
    extras = [
        (column, label)
        for column, label in (
            ("adjustment_eur", _("Adjustment (caps and floors)")),
            ("rounding_eur", _("Rounding to the cent")),
        )
        if any(row[column] for row in shown)
    ]
    width = len(criteria) + len(extras)
    rows = []
    for code in codes:
        row = published.get(code)
        if row is None:
            rows.append([territory.entity_name(code), None, *[None] * width, None, None])
            continue
        rows.append(
            [
                row["name"],
                row["minimum_eur"],
                *[row[contribution_field(c.id)] for c in criteria],
                *[row[column] for column, _label in extras],
                row["amount_eur"],
                row["rank"],
            ]
        )
    return DataTable(
        columns=[c.title_in(language) for c in criteria] + [label for _c, label in extras],
        rows=rows,
        source=f"{result.formula.title_in(language)} · v{result.formula.version}",
        notes=[result.formula.description_in(language).strip()]
        if result.formula.description
        else [],
    )


# ---- Open-data export ----


@dataclass(frozen=True)
class ContributionRow:
    debate_slug: str
    comment_id: int
    parent_id: str
    thread_id: int
    level: int
    entity_code: str
    entity_name: str
    role: str
    submitted_at: str
    status: str
    text: str


def debate_contributions(*, debates: list[DebatePage] | None = None) -> list[ContributionRow]:
    """Every comment of the given debates (default: all), hidden ones without their text.

    Open data: the debates of restricted spaces are left out, as they are for any reader
    who is not invited.
    """
    # A comment its author deleted leaves the dataset (a reply may still name it as
    # its parent: see the schema's description of parent_id).
    details = (
        CommentDetail.objects.filter(deleted_at__isnull=True)
        .select_related("comment", "debate")
        .order_by("debate__path", "comment__thread_id", "comment__order")
    )
    for path in rules.restricted_space_paths_denied(AnonymousUser()):
        details = details.exclude(debate__path__startswith=path)
    if debates is not None:
        details = details.filter(debate__in=[rules.debate_canonical(d) for d in debates])
    rows = []
    for detail in details:
        comment = detail.comment
        public = comment.is_public and not comment.is_removed and not detail.is_hidden
        rows.append(
            ContributionRow(
                debate_slug=detail.debate.slug,
                comment_id=comment.pk,
                parent_id=str(comment.parent_id) if comment.parent_id != comment.pk else "",
                thread_id=comment.thread_id,
                level=comment.level,
                entity_code=detail.entity_code,
                entity_name=territory.entity_name(detail.entity_code) if detail.entity_code else "",
                role=detail.role,
                submitted_at=timezone.localtime(comment.submit_date).isoformat(timespec="seconds"),
                status="public" if public else "hidden",
                text=comment_plain_text(comment.comment) if public else "",
            )
        )
    return rows


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
