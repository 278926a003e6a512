"""Reads for the open-data catalogue: the list of datasets with its filters and one
dataset's page (column dictionary, preview, sources, CKAN links).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy

from concertem.common.params import int_or_none
from concertem.databank.selectors import databank_catalog
from concertem.databank.services import version_current
from concertem.dataportal import catalog_data
from datasets.schema_texts import field_text

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
        return {goal for indicator in databank_catalog() for goal in indicator.sdg_goals}
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
        # What the searches match (the catalogue's filter and the site search): computed
        # with the card, not on every request.
        "words": card_words_of(spec, language),
    }


def card_words_of(spec, language: str) -> str:
    """The card's title, description and keywords as one slug ("word-word-...")."""
    keywords = spec.keywords.get(language, ())
    return slugify(" ".join([spec.title[language], spec.description[language], *keywords]))


@lru_cache(maxsize=8)
def _cards_cached(language: str, _databank_version: object) -> tuple[dict[str, Any], ...]:
    return tuple(_spec_card(spec, language) for spec in catalog_data.specs())


def catalog_cards(language: str) -> tuple[dict[str, Any], ...]:
    """Every dataset's card in ``language``, built once per catalogue version: the specs are
    fixed for the process, the goals they show follow the data bank's version."""
    return _cards_cached(language, version_current())


def catalog_index_context(*, query: str, theme: str, goal: str, territory: str) -> dict[str, Any]:
    language = get_language() or "ca"
    cards = catalog_cards(language)
    query = query.strip()[:100]
    wanted = slugify(query)
    goal_number = int_or_none(goal)

    def keep(card: dict[str, Any]) -> bool:
        return (
            (not wanted or all(word in card["words"] for word in wanted.split("-")))
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
