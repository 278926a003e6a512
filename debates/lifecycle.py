"""A debate's life, in one place: when it may open and close, what its space's calendar
says, and how its conclusions are written.

The admin form (``DebatePage.clean``), the moderators' close action
(``moderation.debate_close``), the space page and the formula drafts all ask here, so a
rule changes in one function rather than in each screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from debates.markup import comment_html_render

if TYPE_CHECKING:
    from debates.models import DebateIndexPage, DebatePage


def debate_dates_errors(
    *, opens_at: datetime | None, closes_at: datetime | None, closed_manually: bool, now=None
) -> dict[str, str]:
    """What is wrong with a debate's dates, by field (empty when nothing is)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if closes_at and opens_at and closes_at <= opens_at:
        errors["closes_at"] = _("The debate must close after it opens.")
    if closed_manually and opens_at and opens_at > now:
        errors["closed_manually"] = debate_close_refusal_message(opens_at)
    return errors


def debate_close_refusal_message(opens_at: datetime) -> str:
    return _(
        "A debate cannot close before it opens: it opens on %(date)s. "
        "Change its opening date first, or unpublish it."
    ) % {"date": formats.date_format(timezone.localtime(opens_at), "DATE_FORMAT")}


def debate_close_refusal(debate: DebatePage, *, now=None) -> str | None:
    """Why the debate may not be closed now, or None when it may."""
    now = now or timezone.now()
    if debate.opens_at and debate.opens_at > now:
        return debate_close_refusal_message(debate.opens_at)
    return None


def debate_closed_stamp(debate: DebatePage, *, now=None) -> None:
    """A debate closed by hand records when (the admin's checkbox says only that it is)."""
    if debate.closed_manually and debate.closed_at is None:
        debate.closed_at = now or timezone.now()
    elif not debate.closed_manually:
        debate.closed_at = None


def conclusions_html(text: str) -> str:
    """Conclusions typed as Markdown, rendered and sanitised exactly like a comment."""
    return comment_html_render((text or "").strip()) if (text or "").strip() else ""


# ---- The space's calendar ----


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    title: str
    description: str = ""
    debate_url: str = ""
    kind: str = "milestone"  # milestone | opens | closes


def space_calendar(*, space: DebateIndexPage, debates: list[DebatePage]) -> list[CalendarEntry]:
    """The editors' milestones plus every live debate's own opening and closing dates.

    A debate's dates are read from the debate, never retyped in the calendar: a space
    that said debates close on 15 December while one ran to the 25th (issue 15) cannot
    happen again.
    """
    entries = [
        CalendarEntry(
            day=block.value["date"],
            title=block.value["title"],
            description=block.value.get("description") or "",
        )
        for block in space.calendar
        if block.block_type == "event" and block.value.get("date")
    ]
    for debate in debates:
        if debate.opens_at:
            entries.append(
                CalendarEntry(
                    day=timezone.localtime(debate.opens_at).date(),
                    title=_("Opens: %(title)s") % {"title": debate.title},
                    debate_url=debate.url or "",
                    kind="opens",
                )
            )
        closing = debate.closed_at if debate.closed_manually else debate.closes_at
        if closing:
            entries.append(
                CalendarEntry(
                    day=timezone.localtime(closing).date(),
                    title=_("Closes: %(title)s") % {"title": debate.title},
                    debate_url=debate.url or "",
                    kind="closes",
                )
            )
    return sorted(entries, key=lambda entry: (entry.day, entry.kind != "milestone"))
