"""Reads for the municipality pages: the list by comarca and one entity's profile (its
figures, allocations, debates, cooperation actions and facilities).

The indicator and SDG part of a profile comes from the indicator selectors; the page
puts the two together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import get_language
from django_comments_xtd.models import XtdComment

from concertem.cooperation import selectors as cooperation
from concertem.dataportal import portal_data
from concertem.dataportal.allocation_selectors import allocation_contributions
from concertem.dataportal.entity_search import entity_match_rank
from concertem.facilities import selectors as facilities
from concertem.facilities.models import FacilityMapPage
from datasets.errors import DatasetError
from debates.models import DebateIndexPage, DebatePage
from debates.rules import space_read_allowed


def entity_list_context(*, query: str, comarca: str) -> dict[str, Any]:
    territory = portal_data.territory()
    query = query.strip()[:100]
    entities = [
        e
        for e in territory.entities
        if entity_match_rank(e, query) is not None and (not comarca or e.comarca == comarca)
    ]
    groups: dict[str, list] = {}
    for entity in sorted(entities, key=lambda e: slugify(e.name)):
        groups.setdefault(territory.group_of(entity), []).append(entity)
    return {
        "query": query,
        "comarca": comarca,
        "comarques": territory.comarques,
        "groups": sorted(groups.items(), key=lambda item: slugify(item[0])),
        "count": len(entities),
        "total": len(territory.entities),
    }


def _variable_figure(table, variable: str, entity) -> dict[str, Any] | None:
    for year in reversed(table.years_of(variable)):
        value = table.value_get(variable=variable, year=year, entity_code=entity.entity_code)
        if value is not None:
            return {
                "variable": variable,
                "year": year,
                "value": value,
                "median": portal_data.variable_median(variable, year, entity.province_code),
            }
    return None


def entity_profile_context(*, code: str, request: HttpRequest) -> dict[str, Any] | None:
    territory = portal_data.territory()
    entity = territory.by_code.get(code)
    if entity is None:
        return None
    variables = portal_data.profile_variables()
    figures = {
        name: figure
        for name in portal_data.PROFILE_VARIABLES
        if (figure := _variable_figure(variables, name, entity)) is not None
    }
    density = (
        Decimal(entity.population) / Decimal(str(entity.surface_km2))
        if entity.population and entity.surface_km2
        else None
    )
    allocations = []
    for formula_id in portal_data.formula_ids():
        try:
            allocation = portal_data.allocation(formula_id)
        except DatasetError:
            continue  # an invalid draft formula file must not break every profile
        row = allocation.by_code.get(code)
        if row is None:
            continue
        allocations.append(
            {
                "formula": allocation.formula,
                "row": row,
                "per_capita": allocation.per_capita.get(code),
                "count": allocation.summary.count,
                "published": allocation.published[code],
                "contributions": allocation_contributions(
                    allocation.formula, allocation.published[code]
                ),
            }
        )
    return {
        "debates": entity_debates(code=code, user=request.user),
        **entity_services_context(code=code),
        "entity": entity,
        "density": density,
        "figures": figures,
        "allocations": allocations,
        "neighbours": _neighbours(territory, entity),
        "language": get_language(),
    }


def _neighbours(territory, entity) -> list:
    """Other entities of the same comarca, for moving around the territory."""
    if not entity.comarca:
        return []
    group = territory.groups.get(territory.group_of(entity), ())
    return sorted((e for e in group if e is not entity), key=lambda e: slugify(e.name))


def entity_debates(*, code: str, user) -> list[dict[str, Any]]:
    """Debates the entity's officials took part in, in the reader's language.

    A fixed handful of queries whatever the number of comments or debates: comment
    counts grouped in the database, then the debates, their translations and their
    spaces in bulk. Debates of restricted spaces the reader may not see are left out.
    """
    counts = (
        XtdComment.objects.filter(
            content_type=ContentType.objects.get_for_model(DebatePage),
            is_public=True,
            is_removed=False,
            user__official__entity_code=code,
        )
        .values("object_pk")
        .annotate(comments=Count("pk"))
    )
    by_id = {int(row["object_pk"]): row["comments"] for row in counts}
    if not by_id:
        return []
    canonical = list(DebatePage.objects.live().filter(pk__in=by_id))
    language = get_language() or "ca"
    localised = {
        page.translation_key: page
        for page in DebatePage.objects.live().filter(
            translation_key__in=[page.translation_key for page in canonical],
            locale__language_code=language,
        )
    }
    spaces = {
        space.path: space
        for space in DebateIndexPage.objects.filter(
            path__in=[page.path[: -DebatePage.steplen] for page in canonical]
        )
    }
    # The space's name in the reader's language too, not the canonical (Catalan) one.
    localised_spaces = {
        space.translation_key: space
        for space in DebateIndexPage.objects.filter(
            translation_key__in=[space.translation_key for space in spaces.values()],
            locale__language_code=language,
        )
    }
    result = []
    for page in canonical:
        space = spaces.get(page.path[: -DebatePage.steplen])
        if not space_read_allowed(user=user, space=space):
            continue
        shown = localised.get(page.translation_key, page)
        shown_space = localised_spaces.get(space.translation_key, space) if space else None
        result.append({"page": shown, "comments": by_id[page.pk], "space": shown_space})
    return sorted(result, key=lambda item: -item["comments"])


def entity_services_context(*, code: str) -> dict[str, Any]:
    """The entity's cooperation actions (totals, link to their status) and its facilities."""
    actions = list(cooperation.entity_actions(code))
    totals = cooperation.summary_of(actions).total if actions else None
    facility_count = sum(1 for item in facilities.facilities_all() if item.entity_code == code)
    map_page = (
        FacilityMapPage.objects.live().filter(locale__language_code=get_language() or "ca").first()
    )
    return {
        "actions_total": totals,
        "actions_url": cooperation.entity_page_url(code),
        "facility_count": facility_count,
        "facilities_url": f"{map_page.url}?entity={code}" if map_page and facility_count else "",
    }
