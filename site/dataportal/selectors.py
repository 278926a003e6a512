"""Reads for the portal pages: each returns the context a template needs.

They work on the in-memory data of ``portal_data`` and touch the database only
for what lives there (debates); no selector issues a query per entity.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from statistics import median
from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from config.params import int_or_none, page_number_parse
from dataportal import portal_data
from datasets.allocation.compute import STATUS_EXCLUDED
from datasets.errors import DatasetError
from datasets.schema_texts import field_text

SORTS = {
    "rank": lambda row: (row["rank"] is None, row["rank"] or 0, row["name"]),
    "name": lambda row: slugify(row["name"]),
    "amount": lambda row: -row["amount"],
    "per_capita": lambda row: -(row["per_capita"] or Decimal(0)),
    "population": lambda row: -(row["population"] or 0),
}


def entity_match_rank(entity: Any, query: str) -> int | None:
    """How well an entity matches what a person typed: None when it does not.

    A name matches ignoring case, accents and punctuation ("l'hospitalet", "Hospitalet",
    "vilanova"), every word of the query somewhere in the name; digits match the INE
    code (08298) or the Idescat code (082981), whole or as a prefix. Lower is better:
    0 the exact name or code, 1 the name starts with the query, 2 a word does, 3 inside.
    """
    query = query.strip()[:100]
    if not query:
        return 3
    compact = query.replace(" ", "")
    if compact.isdigit():
        codes = (entity.entity_code, entity.idescat_code or "")
        if compact in codes:
            return 0
        return 1 if any(code.startswith(compact) for code in codes if code) else None
    wanted = slugify(query)
    name = slugify(entity.name)
    if not wanted or not all(word in name for word in wanted.split("-")):
        return None
    if name == wanted:
        return 0
    if name.startswith(wanted):
        return 1
    return 2 if any(part.startswith(wanted) for part in name.split("-")) else 3


def entities_search(query: str, *, limit: int = 20) -> list[Any]:
    """The local entities matching ``query`` (see entity_match_rank), best first."""
    ranked = []
    for entity in portal_data.territory().entities:
        rank = entity_match_rank(entity, query)
        if rank is not None:
            ranked.append((rank, slugify(entity.name), entity))
    ranked.sort(key=lambda item: item[:2])
    return [entity for _rank, _name, entity in ranked[:limit]]


# ---- Entities ----


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
                "contributions": _contributions(allocation.formula, allocation.published[code]),
            }
        )
    return {
        **entity_indicators_context(code=code),
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


def _contributions(formula, published: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts of an amount exactly as allocations.csv publishes them, in order.

    Each part is rounded to the cent in the file, and the file's rounding column makes the
    row add up, so the rows shown always add up to the total shown (the rounding row is
    shown whenever it is not zero).
    """
    from datasets.allocation.tables import contribution_field

    language = get_language() or "ca"
    items = []
    if published["fixed_eur"]:
        items.append(
            {"title": _("Fixed amount"), "amount": published["fixed_eur"], "field": "fixed_eur"}
        )
    items.append(
        {"title": _("Fixed minimum"), "amount": published["minimum_eur"], "field": "minimum_eur"}
    )
    for criterion in formula.criteria:
        field = contribution_field(criterion.id)
        items.append(
            {
                "title": criterion.title_in(language),
                "amount": published[field],
                "criterion": criterion,
                "field": field,
            }
        )
    for field, title in (
        ("adjustment_eur", _("Adjustment (caps and floors)")),
        ("rounding_eur", _("Rounding to the cent")),
    ):
        if published[field]:
            items.append({"title": title, "amount": published[field], "field": field})
    return items


# ---- Allocation ----


def _allocation_or_none(formula_id: str):
    try:
        return portal_data.allocation(formula_id)
    except (DatasetError, FileNotFoundError):
        return None


# The whole province fits on one page (311 rows); a formula over thousands of entities
# is paged so that a page stays light.
TABLE_PAGE_SIZE = 500


def allocation_overview_context(
    *, formula_id: str, query: str, sort: str, page: str = "1"
) -> dict[str, Any]:
    allocation = _allocation_or_none(formula_id)
    if allocation is None:
        return {"formula_error": formula_id}
    formula = allocation.formula
    query = query.strip()[:100]
    rows = []
    for row in allocation.result.rows:
        if entity_match_rank(row.entity, query) is None:
            continue
        rows.append(
            {
                "code": row.entity_code,
                "name": row.entity.name,
                "comarca": row.entity.comarca,
                "population": row.entity.population,
                "amount": row.amount_eur,
                "per_capita": allocation.per_capita.get(row.entity_code),
                "rank": row.rank,
                "excluded": row.status == STATUS_EXCLUDED,
                # As allocations.csv publishes them (to the cent), not the exact shares.
                "contributions": _published_contributions(allocation, formula, row),
                "minimum": allocation.published[row.entity_code]["minimum_eur"],
                "published": allocation.published[row.entity_code],
            }
        )
    sort = sort if sort in SORTS else "rank"
    rows.sort(key=SORTS[sort])
    matched = len(rows)
    pages = max(1, -(-matched // TABLE_PAGE_SIZE))
    page_number = min(page_number_parse(page), pages)
    rows = rows[(page_number - 1) * TABLE_PAGE_SIZE : page_number * TABLE_PAGE_SIZE]
    map_values = {
        code: {"value": float(value) if value is not None else None}
        for code, value in allocation.per_capita.items()
        if allocation.by_code[code].status != STATUS_EXCLUDED
    }
    return {
        "formula": formula,
        "summary": allocation.summary,
        "rows": rows,
        "matched": matched,
        "page_number": page_number,
        "pages": pages,
        "page_range": range(1, pages + 1) if pages > 1 else (),
        "query": query,
        "sort": sort,
        "criteria": formula.criteria,
        "criteria_percent": [(c, c.weight * 100) for c in formula.criteria],
        "distributable": allocation.result.distributable_eur,
        "minimum_total": formula.minimum_eur * allocation.summary.count,
        "formula_text": Path(formula.path).read_text(encoding="utf-8"),
        "map_values": json.dumps(map_values),
        "other_formulas": [f for f in portal_data.formula_ids() if f != formula_id],
        "has_adjustment": any(row["adjustment_eur"] for row in allocation.published.values()),
    }


def _published_contributions(allocation, formula, row) -> list:
    from datasets.allocation.tables import contribution_field

    published = allocation.published[row.entity_code]
    return [published[contribution_field(c.id)] for c in formula.criteria]


def allocation_entity_context(*, formula_id: str, code: str) -> dict[str, Any] | None:
    allocation = _allocation_or_none(formula_id)
    if allocation is None:
        return None
    row = allocation.by_code.get(code)
    if row is None:
        return None
    from dataportal.charts import Bar, bar_chart_responsive, value_text

    published = allocation.published[code]
    contributions = _contributions(allocation.formula, published)
    titles = {
        criterion.id: criterion.title_in(get_language() or "ca")
        for criterion in allocation.formula.criteria
    }
    chart = bar_chart_responsive(
        bars=[
            Bar(
                label=str(item["title"]),
                value=item["amount"],
                source=f"allocation-{formula_id}|allocations|{formula_id},{code}|{item['field']}",
            )
            for item in contributions
        ],
        title=_("How the amount of %(name)s is made up") % {"name": row.entity.name},
        description="; ".join(
            f"{item['title']}: {value_text(item['amount'], 2, '€')}" for item in contributions
        ),
        unit="€",
        places=2,
    )
    return {
        "formula": allocation.formula,
        "row": row,
        "published": published,
        "entity": row.entity,
        "per_capita": allocation.per_capita.get(code),
        "count": allocation.summary.count,
        "contributions": contributions,
        "inputs": [
            {
                "title": titles.get(item.criterion_id, item.criterion_id),
                "input": item,
                "published": allocation.explained[(code, item.criterion_id)],
            }
            for item in row.inputs
        ],
        "extra_parts": [
            item for item in contributions if item["field"] in ("adjustment_eur", "rounding_eur")
        ],
        "chart": chart,
        "excluded": row.status == STATUS_EXCLUDED,
    }


def allocation_compare_context(*, base_id: str, other_id: str) -> dict[str, Any] | None:
    if other_id not in portal_data.formula_ids() or other_id == base_id:
        return None
    base = _allocation_or_none(base_id)
    other = _allocation_or_none(other_id)
    if base is None or other is None:
        return None
    comparison = portal_data.allocation_comparison(base_id, other_id)
    return {
        "base": base.formula,
        "other": other.formula,
        "comparison": comparison,
        "winners": comparison.winners[:15],
        "losers": comparison.losers[:15],
        "winner_count": len(comparison.winners),
        "loser_count": len(comparison.losers),
        "rows": sorted(comparison.rows, key=lambda r: r.difference_eur),
    }


# ---- Dataset catalogue ----

# EU data-theme vocabulary codes used by the catalogue, with their names.
THEMES = {
    "AGRI": gettext_lazy("Agriculture, fisheries, forestry and food"),
    "ECON": gettext_lazy("Economy and finance"),
    "EDUC": gettext_lazy("Education, culture and sport"),
    "ENVI": gettext_lazy("Environment"),
    "GOVE": gettext_lazy("Government and public sector"),
    "HEAL": gettext_lazy("Health"),
    "INTR": gettext_lazy("International issues"),
    "REGI": gettext_lazy("Regions and cities"),
    "SOCI": gettext_lazy("Population and society"),
    "TRAN": gettext_lazy("Transport"),
}


def _spec_goals(spec) -> set[int]:
    """SDG goals a dataset speaks to: the framework itself, or its indicators' targets."""
    if spec.name == "sdg-framework":
        return set(range(1, 18))
    if any(resource.name == "indicator_values" for resource in spec.resources):
        from databank.selectors import databank_catalog as indicator_catalog_load

        return {goal for indicator in indicator_catalog_load() for goal in indicator.sdg_goals}
    return set()


def _spec_card(spec, language: str) -> dict[str, Any]:
    return {
        "name": spec.name,
        "title": spec.title[language],
        "description": spec.description[language],
        "keywords": spec.keywords.get(language, ()),
        "themes": [(code, THEMES.get(code, code)) for code in spec.themes],
        "goals": sorted(_spec_goals(spec)),
        "spatial": spec.spatial.label[language],
        "licence": spec.licence,
        "temporal": spec.temporal,
    }


def catalog_index_context(*, query: str, theme: str, goal: str, territory: str) -> dict[str, Any]:
    from dataportal import catalog_data

    language = get_language() or "ca"
    cards = [_spec_card(spec, language) for spec in catalog_data.specs()]
    query = query.strip()[:100]
    wanted = slugify(query)
    goal_number = int_or_none(goal)

    def keep(card: dict[str, Any]) -> bool:
        text = slugify(" ".join([card["title"], card["description"], *card["keywords"]]))
        return (
            (not wanted or all(word in text for word in wanted.split("-")))
            and (not theme or theme in dict(card["themes"]))
            and (goal_number is None or goal_number in card["goals"])
            and (not territory or card["spatial"] == territory)
        )

    selected = [card for card in cards if keep(card)]
    used_themes = sorted({code for card in cards for code, _label in card["themes"]})
    return {
        "cards": selected,
        "total": len(cards),
        "query": query,
        "theme": theme,
        "goal": goal_number,
        "territory": territory,
        "themes": [(code, THEMES.get(code, code)) for code in used_themes],
        "goals": range(1, 18),
        "territories": sorted({card["spatial"] for card in cards}),
    }


def _field_rows(schema: dict[str, Any] | None, language: str) -> list[dict[str, Any]]:
    if not schema:
        return []
    primary = schema.get("primaryKey") or []
    primary = [primary] if isinstance(primary, str) else primary
    return [
        {
            "name": field["name"],
            "type": field.get("type", "string"),
            "title": field_text(field, "title", language),
            "description": field_text(field, "description", language),
            "constraints": field.get("constraints", {}),
            "primary": field["name"] in primary,
        }
        for field in schema.get("fields", [])
    ]


def catalog_dataset_context(*, name: str) -> dict[str, Any] | None:
    from dataportal import catalog_data

    spec = catalog_data.spec_get(name)
    if spec is None:
        return None
    language = get_language() or "ca"
    descriptor = catalog_data.descriptor_load(name) or {}
    built = {item["name"]: item for item in descriptor.get("resources", [])}
    links = catalog_data.ckan_links(name)
    resources = []
    for resource in spec.resources:
        built_resource = built.get(resource.name, {})
        header, rows = (
            catalog_data.preview_rows(name, built_resource["path"])
            if resource.tabular and built_resource
            else ([], [])
        )
        ckan = (links.resources.get(resource.name) if links else None) or {}
        resources.append(
            {
                "name": resource.name,
                "title": resource.title[language],
                "description": resource.description[language],
                "path": built_resource.get("path", resource.path),
                "built": bool(built_resource),
                "bytes": built_resource.get("bytes"),
                "hash": built_resource.get("hash", ""),
                "fields": _field_rows(resource.schema_load(), language),
                "preview_header": header,
                "preview_rows": rows,
                "ckan_url": ckan.get("url", ""),
                "ckan_id": ckan.get("id", ""),
                "datastore": bool(ckan.get("datastore")),
            }
        )
    return {
        "spec": spec,
        "card": _spec_card(spec, language),
        "version": descriptor.get("version", ""),
        "changelog": catalog_data.changelog_load(name),
        "resources": resources,
        "ckan": links,
        "built": bool(descriptor),
        "sources": [
            {
                "url": source.url,
                "title": source.title_in(language),
                "attribution": source.attribution_in(language),
                "licence": source.licence,
            }
            for source in spec.sources
        ],
        "recompute": spec.recompute[language] if spec.recompute else "",
    }


# ---- Indicators and SDGs ----


def _indicator_row(item, language: str) -> dict[str, Any]:
    indicator = item.indicator
    return {
        "code": indicator.code,
        "name": indicator.name(language),
        "unit": indicator.unit_label(language),
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "year": item.year,
        "value": item.value,
        "status": item.status,
        "rank": item.rank,
        "peers": item.peers,
        "median": item.median,
        "goals": indicator.sdg_goals,
        "targets": indicator.sdg_targets,
    }


def entity_indicators_context(*, code: str) -> dict[str, Any]:
    """The profile's indicator table, a time-series chart and the 17-goal overview."""
    from dataportal.charts import Series, line_chart_responsive
    from databank.selectors import databank_views as indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    latest = [_indicator_row(item, language) for item in views.latest_all(code)]
    overview = [
        {
            "number": goal.goal.number,
            "name": goal.goal.short_name(language),
            "indicators": [
                {
                    "code": gi.indicator.code,
                    "name": gi.indicator.name(language),
                    "targets": gi.targets,
                    "latest": gi.latest,
                }
                for gi in goal.indicators
            ],
        }
        for goal in views.sdg_overview(code)
    ]
    charts = []
    for row in latest:
        points = views.series(code, row["code"])
        if len(points) < 2:
            continue
        own = Series(
            label=_("This municipality"),
            points=[(p.year, p.value) for p in points if p.value is not None],
        )
        median_series = Series(
            label=_("Province median"),
            points=[(p.year, p.median) for p in points if p.median is not None],
        )
        charts.append(
            {
                "name": row["name"],
                "code": row["code"],
                "decimals": row["decimals"],
                "unit": row["unit"],
                "points": points,
                "svg": line_chart_responsive(
                    series=[own, median_series],
                    title=row["name"],
                    description=_("%(name)s from %(first)s to %(last)s, with the province median")
                    % {"name": row["name"], "first": points[0].year, "last": points[-1].year},
                    unit=row["unit"],
                    places=row["decimals"],
                ),
            }
        )
    return {"indicators": latest, "sdg_overview": overview, "indicator_charts": charts[:3]}


def sdg_index_context() -> dict[str, Any]:
    from databank.selectors import databank_views as indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    return {
        "goals": [
            {
                "number": goal.number,
                "name": goal.short_name(language),
                "long_name": goal.name(language),
                "indicators": views.catalog.of_goal(goal.number),
            }
            for goal in views.sdg.goals
        ]
    }


def sdg_goal_context(*, goal: int, indicator_code: str) -> dict[str, Any] | None:
    """One goal's dashboard: its targets and indicators; the chosen one on a map and a chart."""
    from dataportal.charts import Bar, bar_chart_responsive, value_text
    from databank.selectors import databank_views as indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    if goal not in {g.number for g in views.sdg.goals}:
        return None
    sdg_goal = views.sdg.goal_get(goal)
    indicators = views.catalog.of_goal(goal)
    context: dict[str, Any] = {
        "goal": {
            "number": goal,
            "name": sdg_goal.short_name(language),
            "long_name": sdg_goal.name(language),
        },
        "targets": [(t.code, t.name(language)) for t in views.sdg.targets_of_goal(goal)],
        "indicators": [(i.code, i.name(language)) for i in indicators],
        "selected": None,
    }
    if not indicators:
        return context
    indicator = next((i for i in indicators if i.code == indicator_code), indicators[0])
    territory = portal_data.territory()
    years = views.values.years(indicator.code)
    if not years:
        return context
    year = years[-1]
    by_entity = views.values.year_values(indicator.code, year)
    rows = sorted(
        (
            {"code": code, "name": territory.by_code[code].name, "value": obs.value}
            for code, obs in by_entity.items()
            if code in territory.by_code and obs.value is not None
        ),
        key=lambda row: -row["value"],
    )
    values = [row["value"] for row in rows]
    middle = median(values) if values else None
    extremes = rows[:8] + rows[-8:] if len(rows) > 16 else rows
    bars = [Bar(label=row["name"], value=row["value"]) for row in extremes]
    if middle is not None:
        bars.insert(
            len(extremes) // 2, Bar(label=_("Province median"), value=middle, highlight=True)
        )
    unit = indicator.unit_label(language)
    context["selected"] = {
        "code": indicator.code,
        "name": indicator.name(language),
        "definition": indicator.definitions[language],
        "method": indicator.methods[language],
        "decimals": indicator.decimals,
        "unit": unit,
        "year": year,
        "targets": [t for t in indicator.sdg_targets if t.startswith(f"{goal}.")],
        "rows": rows,
        "median": middle,
        "map_values": json.dumps({row["code"]: {"value": row["value"]} for row in rows}),
        "chart": bar_chart_responsive(
            bars=bars,
            title=_("%(name)s, %(year)s: highest and lowest municipalities")
            % {"name": indicator.name(language), "year": year},
            description="; ".join(
                f"{bar.label}: {value_text(bar.value, indicator.decimals, unit)}" for bar in bars
            ),
            unit=unit,
            places=indicator.decimals,
        ),
    }
    return context


# ---- Debates ----


def entity_debates(*, code: str, user) -> list[dict[str, Any]]:
    """Debates the entity's officials took part in, in the reader's language.

    A fixed handful of queries whatever the number of comments or debates: comment
    counts grouped in the database, then the debates, their translations and their
    spaces in bulk. Debates of restricted spaces the reader may not see are left out.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from django_comments_xtd.models import XtdComment

    from debates.models import DebateIndexPage, DebatePage
    from debates.services import space_read_allowed

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


def draft_compare_context(*, draft) -> dict[str, Any]:
    """A draft against its base formula, in the same shape as two shipped versions."""
    from dataportal.formula_drafts import draft_preview

    preview = draft_preview(draft)
    comparison = preview.comparison
    return {
        "base": portal_data.allocation(draft.base_formula).formula,
        "other": preview.formula,
        "other_label": draft.title,
        "draft": draft,
        "comparison": comparison,
        "winners": comparison.winners[:15],
        "losers": comparison.losers[:15],
        "winner_count": len(comparison.winners),
        "loser_count": len(comparison.losers),
        "rows": sorted(comparison.rows, key=lambda r: r.difference_eur),
    }


# ---- Cooperation actions and facilities ----


def entity_services_context(*, code: str) -> dict[str, Any]:
    """The entity's cooperation actions (totals, link to their status) and its facilities."""
    from cooperation import selectors as cooperation
    from facilities import selectors as facilities
    from facilities.models import FacilityMapPage

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
