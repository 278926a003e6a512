"""Reads for the moderators: the queue of reported comments (with the reasons given)
and the participation report of a debate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from debates import rules, territory
from debates.models import (
    CommentDetail,
    CommentReport,
    DebatePage,
)
from debates.selectors import NamedEntity, comment_counts_by_entity, entities_named
from debates.threads import comment_node_build


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
