"""The progress status of an ordinal indicator on an SDG panel, in the page's language.

The statuses are those of the numeric indicators (``datasets.indicators.progress``); the
sentence names the first and the last categories by their labels (the caller passes the
scale already written in the page's language), never by their codes. A nominal indicator
has no order, so it has no status: the contexts are ``None`` and the panel shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from datasets.indicators.progress import (
    STABLE_BAND_PERCENT,
    ordinal_trend_assess,
    province_ordinal_trend_assess,
)
from datasets.number_display import number_format, percent_format


def _ordinal_explained(indicator: Any, province: bool, language: str) -> str:
    """How the reader should read the status (shown under it, as for a numeric one)."""
    if province:
        return _(
            "Progress follows the share of the province's municipalities with a value that are "
            "in the best category of the scale (for a context indicator, the top one), in the "
            "first and the last year with a value. A change smaller than %(band)s percentage "
            "point is stable."
        ) % {"band": number_format(STABLE_BAND_PERCENT, 0, language)}
    if indicator.direction == "neutral":
        return _(
            "Progress compares the category in the first and the last year with a value. This "
            "is a context indicator: it is not judged as better or worse, only as moving up or "
            "down its scale of categories."
        )
    return _(
        "Progress compares the category in the first and the last year with a value: a move "
        "towards the better end of the scale is improving, towards the worse end worsening."
    )


def ordinal_trend_context(
    indicator: Any,
    labels: list[str],
    points: list[Any],
    status_labels: Mapping[str, Any],
    language: str,
) -> dict[str, Any] | None:
    """A municipality's ordinal status and its sentence, naming the categories by their
    labels in the page's language (None for a nominal indicator: it has no order)."""
    trend = ordinal_trend_assess(
        [(p.year, p.position) for p in points],
        indicator.direction,
        getattr(indicator, "value_type", ""),
    )
    if trend is None:
        return None
    label = status_labels[trend.status]
    sentence = str(label)
    if trend.first_position is not None:
        first = labels[trend.first_position]
        last = labels[trend.last_position]
        if trend.status == "stable":
            sentence = _("%(status)s: %(first)s in %(first_year)s and in %(last_year)s") % {
                "status": label,
                "first": first,
                "first_year": trend.first_year,
                "last_year": trend.last_year,
            }
        else:
            sentence = _(
                "%(status)s: from %(first)s (%(first_year)s) to %(last)s (%(last_year)s)"
            ) % {
                "status": label,
                "first": first,
                "first_year": trend.first_year,
                "last": last,
                "last_year": trend.last_year,
            }
    return {
        "status": trend.status,
        "label": label,
        "sentence": sentence,
        "explained": _ordinal_explained(indicator, province=False, language=language),
    }


def province_ordinal_trend_context(
    indicator: Any,
    labels: list[str],
    years: list[Any],
    status_labels: Mapping[str, Any],
    language: str,
) -> dict[str, Any] | None:
    """The province's ordinal status: its municipalities' share in the best category."""
    trend = province_ordinal_trend_assess(
        [(item.year, item.counts) for item in years],
        indicator.direction,
        getattr(indicator, "value_type", ""),
    )
    if trend is None:
        return None
    label = status_labels[trend.status]
    sentence = str(label)
    if trend.end_position is not None:
        values = {
            "status": label,
            "category": labels[trend.end_position],
            "first_share": percent_format(trend.first_share, 0, language),
            "first_year": trend.first_year,
            "last_share": percent_format(trend.last_share, 0, language),
            "last_year": trend.last_year,
        }
        if indicator.direction == "neutral":
            sentence = (
                _(
                    "%(status)s: %(first_share)s of the municipalities with a value were in "
                    "%(category)s, the top of the scale, in %(first_year)s, and %(last_share)s in "
                    "%(last_year)s"
                )
                % values
            )
        else:
            sentence = (
                _(
                    "%(status)s: %(first_share)s of the municipalities with a value were in "
                    "%(category)s, the best category, in %(first_year)s, and %(last_share)s in "
                    "%(last_year)s"
                )
                % values
            )
    return {
        "status": trend.status,
        "label": label,
        "sentence": sentence,
        "explained": _ordinal_explained(indicator, province=True, language=language),
    }
