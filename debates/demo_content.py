"""Demo debate space: the 2027 revision of the allocation formula, in ca/es/en.

The content is data (``demo_data/debates.yaml``); this module loads it. Pages go through
the site's page-translation helper, comments through ``commenting.comment_create``, the one
place a debate comment is created. Idempotent: pages are found by slug and refreshed,
officials by user name, and the comment threads are created only for a debate that has
none. Comments skip ``commenting.comment_post`` (its rules) because they carry past dates,
the closed debate's comments predate its closing, and the rate limit would stop a bulk load.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment
from wagtail.models import Page

from concertem.common.demo import demo_data_load
from concertem.common.pages import page_translations_ensure
from debates.commenting import comment_create, comment_row_build
from debates.markup import comment_html_render
from debates.models import CommentDetail, DebateIndexPage, DebatePage, Official
from debates.territory import entity_name

OFFICIAL_PASSWORD = "concertem-official"  # noqa: S105 - demo accounts, printed on purpose
LANGUAGES = ("ca", "es", "en")


def demo_data() -> dict[str, Any]:
    """The debates' demo content as written in ``demo_data/debates.yaml``."""
    return demo_data_load(__file__, "debates")


def _user_ensure(username: str, first: str, last: str) -> object:
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.first_name = first
    user.last_name = last
    user.email = f"{username}@example.org"
    user.set_password(OFFICIAL_PASSWORD)
    user.save()
    return user


def officials_ensure(editor=None) -> dict[str, Official]:
    """The demo's officials as the data says, verified or not (a reload resets them)."""
    officials = {}
    now = timezone.now()
    for row in demo_data()["officials"]:
        username, verified = row["username"], row["verified"]
        user = _user_ensure(username, row["first_name"], row["last_name"])
        official, _created = Official.objects.update_or_create(
            user=user,
            defaults={
                "entity_code": row["entity_code"],
                "role": row["role"],
                "position": row["position"],
                "verified": verified,
                "verified_at": now if verified else None,
                "verified_by": editor if verified else None,
                "invited_by": editor,
            },
        )
        officials[username] = official
    return officials


def space_ensure(homes: dict[str, Page]) -> dict[str, DebateIndexPage]:
    space = demo_data()["space"]
    content = {}
    for code in LANGUAGES:
        values = space[code]
        content[code] = {
            "title": values["title"],
            "slug": values["slug"],
            "intro": values["intro"],
            "search_description": values["intro"][:250],
            "participants": values["participants"],
            "calendar": [{"type": "event", "value": dict(event)} for event in values["calendar"]],
        }
    return page_translations_ensure(
        parents=homes,
        model=DebateIndexPage,
        content=content,
        visibility=DebateIndexPage.Visibility.PUBLIC,
        invited_entities=", ".join(space["invited_entities"]),
    )


def _context(code: str, *, tables: bool) -> list[dict]:
    context = demo_data()["context"]
    blocks: list[dict] = [{"type": "paragraph", "value": context["text"][code]}]
    if not tables:
        return blocks
    titles, shown = context["table_titles"][code], context["shown_entities"]
    return [
        *blocks,
        {
            "type": "indicator_table",
            "value": {
                "title": titles["indicators"],
                "variables": ["population", "net_income_per_person", "unemployment_rate"],
                "year": None,
                "entity_codes": shown,
                "note": "",
            },
        },
        {
            "type": "allocation_table",
            "value": {
                "title": titles["allocation"],
                "formula": "pgi-2024-2027",
                "entity_codes": shown,
                "show_criteria": True,
            },
        },
    ]


def debates_ensure(spaces: dict[str, DebateIndexPage]) -> dict[str, DebatePage]:
    """Each debate of the data under the space, in three languages; the Catalan page by key."""
    now = timezone.now()
    result = {}
    for spec in demo_data()["debates"]:
        closes_at = now + timedelta(days=spec["closes_in_days"])
        content = {
            code: {
                "title": spec["title"][code],
                "slug": spec["slug"][code],
                "question": spec["question"][code],
                "summary": spec["summary"][code],
                "search_description": spec["question"][code][:250],
                "context": _context(code, tables=spec["tables"]),
                "conclusions": spec.get("conclusions", {}).get(code, ""),
                "answer": spec.get("answer", {}).get(code, ""),
            }
            for code in LANGUAGES
        }
        pages = page_translations_ensure(
            parents=spaces,
            model=DebatePage,
            content=content,
            in_menus=None,  # a debate's own choice: the space is the menu entry
            opens_at=now + timedelta(days=spec["opens_in_days"]),
            closes_at=closes_at,
            closed_manually=spec["closed"],
            closed_at=closes_at if spec["closed"] else None,
        )
        result[spec["key"]] = pages["ca"]
    return result


def threads_ensure(debate: DebatePage, threads: list[dict], officials: dict[str, Official]) -> int:
    """The data's threads on ``debate`` (none if it has comments already), with some likes."""
    content_type = ContentType.objects.get_for_model(DebatePage)
    if XtdComment.objects.filter(content_type=content_type, object_pk=str(debate.pk)).exists():
        return 0
    now = timezone.now()
    created = []

    def add(items: list[dict], parent: XtdComment | None = None) -> None:
        for offset, item in enumerate(items):
            comment = comment_create(
                debate=debate,
                official=officials[item["by"]],
                text=item["text"],
                parent=parent,
                submitted_at=now - timedelta(days=item["days_ago"], hours=offset * 3),
                followup=True,
            )
            created.append(comment)
            add(item.get("replies", []), parent=comment)

    add(threads)
    # A little agreement, so the reactions show.
    voters = [o.user for o in officials.values() if o.verified]
    for index, comment in enumerate(created):
        for voter in voters[: (index % 3) + 1]:
            if voter.pk != comment.user_id:
                CommentFlag.objects.get_or_create(comment=comment, user=voter, flag=LIKEDIT_FLAG)
    return len(created)


def demo_logins_write(path: Path | None = None) -> Path:
    path = path or Path(settings.VAR_DIR) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for row in demo_data()["officials"]:
        state = "" if row["verified"] else ", not yet verified"
        lines.append(
            f"Official ({entity_name(row['entity_code'])}, {row['role']}{state}): "
            f"{row['username']} / {OFFICIAL_PASSWORD}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@transaction.atomic
def demo_debates_load(homes=None) -> dict[str, DebatePage]:
    # The home pages come from the site (DEBATES_DEMO_SITE_LOADER), which the debates may
    # not import (site -> debates).
    homes = homes or import_string(settings.DEBATES_DEMO_SITE_LOADER)()
    editor = get_user_model().objects.filter(username=settings.DEBATES_DEMO_EDITOR).first()
    officials = officials_ensure(editor)
    spaces = space_ensure(homes)
    debates = debates_ensure(spaces)
    for spec in demo_data()["debates"]:
        if spec.get("threads"):
            threads_ensure(debates[spec["key"]], spec["threads"], officials)
    return debates


def comments_bulk_create(*, debate: DebatePage, officials: list, count: int) -> int:
    """`count` comments in deep threads (each root: 4 replies, 2 each, 1 each: 21 a thread),
    written without xtd's per-comment thread queries. For load tests and the benchmark."""
    now = timezone.now()
    made = 0
    shape = (4, 2, 1)  # children per comment at levels 0, 1, 2

    def build(level: int, parents: list[XtdComment]) -> list[XtdComment]:
        nonlocal made
        rows = []
        for parent in parents or [None] * max(1, -(-count // 21)):
            for _child in range(shape[level - 1] if parent else 1):
                if made >= count:
                    break
                official = officials[made % len(officials)]
                row = comment_row_build(
                    debate=debate,
                    user=official.user,
                    text=f"Comment {made}: **bold** and a [link](https://example.org).",
                    submitted_at=now - timedelta(minutes=count - made),
                    parent_id=parent.pk if parent else 0,
                )
                row.thread_id = parent.thread_id if parent else 0
                row.level = level
                rows.append(row)
                made += 1
        for row in rows:
            # Model.save, not XtdComment.save: the thread fields are set here already,
            # and xtd's own computation costs several queries per comment.
            models.Model.save(row)
            if level == 0:
                row.parent_id = row.thread_id = row.pk
        if level == 0:
            XtdComment.objects.bulk_update(rows, ["parent_id", "thread_id"])
        return rows

    levels = [build(0, [])]
    for level in (1, 2, 3):
        if made >= count:
            break
        levels.append(build(level, levels[-1]))
    everything = [row for rows in levels for row in rows]
    children: dict[int, list[XtdComment]] = {}
    for row in everything:
        if row.parent_id != row.pk:
            children.setdefault(row.parent_id, []).append(row)
    # xtd's `order`: depth-first position inside the thread, which is how threads are read.
    for root in levels[0]:
        position = 0
        stack = [root]
        while stack:
            row = stack.pop()
            position += 1
            row.order = position
            stack.extend(reversed(children.get(row.pk, [])))
    XtdComment.objects.bulk_update(everything, ["order"])
    CommentDetail.objects.bulk_create(
        [
            CommentDetail(
                comment=row,
                debate=debate,
                entity_code=officials[index % len(officials)].entity_code,
                role=officials[index % len(officials)].role,
                html=comment_html_render(row.comment),
            )
            for index, row in enumerate(everything)
        ]
    )
    return made
