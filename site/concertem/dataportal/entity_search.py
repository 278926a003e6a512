"""Finding a local entity by what a person typed: its name (any case, accents,
apostrophes) or its INE / Idescat code. Used by the profiles, the allocation table
and the site search.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from concertem.dataportal import portal_data


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
