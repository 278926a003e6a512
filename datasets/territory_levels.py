"""The territory above the municipality: comarques, consells comarcals, the metropolitan area of
Barcelona (AMB) and the Diputació de Barcelona (the province), as rows of ``entities.csv``.

Codes (stable; documented in ``datasets/reference/README.md``):

- comarca ``com:13`` and province ``prov:08``: Idescat's own geographic identifiers (its
  tables take ``geo=com:13``, ``geo=prov:08``); the number is the official Idescat comarca
  code / INE province code;
- consell comarcal ``cc:13``: the council governing comarca 13 (no official code of its own
  in any open source; built on the comarca's). Aran has no consell comarcal (it is governed by
  the Conselh Generau d'Aran) and gets none;
- ``amb``: the Àrea Metropolitana de Barcelona, the 36 municipalities of article 2 of
  Llei 31/2010, de 3 d'agost, de l'Àrea Metropolitana de Barcelona;
- ``prov:08`` is named "Diputació de Barcelona": the province's data is the Diputació's scope.

Every level gets the census population summed over its municipalities and the surface when
all of them have one. Names are matched by ``entity_name_key`` (no accents, no articles), and
``ENTITY_ALIASES`` holds the other names publishers use.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from datasets.territory import Entity

PROVINCE_ENTITY_CODE = "prov:{province}"
AMB_CODE = "amb"
# Llei 31/2010, article 2: the municipalities of the metropolitan area, by their names in
# entities.csv (the build fails if one is missing, so a renamed entity cannot drop out).
AMB_MUNICIPALITIES = (
    "Badalona",
    "Badia del Vallès",
    "Barberà del Vallès",
    "Barcelona",
    "Begues",
    "Castellbisbal",
    "Castelldefels",
    "Cerdanyola del Vallès",
    "Cervelló",
    "Corbera de Llobregat",
    "Cornellà de Llobregat",
    "Esplugues de Llobregat",
    "Gavà",
    "L'Hospitalet de Llobregat",
    "Molins de Rei",
    "Montcada i Reixac",
    "Montgat",
    "Pallejà",
    "La Palma de Cervelló",
    "El Papiol",
    "El Prat de Llobregat",
    "Ripollet",
    "Sant Adrià de Besòs",
    "Sant Andreu de la Barca",
    "Sant Boi de Llobregat",
    "Sant Climent de Llobregat",
    "Sant Cugat del Vallès",
    "Sant Feliu de Llobregat",
    "Sant Joan Despí",
    "Sant Just Desvern",
    "Sant Vicenç dels Horts",
    "Santa Coloma de Cervelló",
    "Santa Coloma de Gramenet",
    "Tiana",
    "Torrelles de Llobregat",
    "Viladecans",
)
COMARCA_WITHOUT_COUNCIL = ("39",)  # Aran: Conselh Generau d'Aran
# Article before the comarca's name in "Consell Comarcal de ...".
_FEMININE = {"Cerdanya", "Conca de Barberà", "Garrotxa", "Noguera", "Ribera d'Ebre", "Segarra"}
_FEMININE |= {"Selva", "Terra Alta"}
_PLURAL_FEMININE = {"Garrigues"}
_NO_ARTICLE = {"Osona"}

ENTITY_ALIASES: dict[str, tuple[str, ...]] = {
    AMB_CODE: (
        "AMB",
        "Àrea Metropolitana de Barcelona",
        "Área Metropolitana de Barcelona",
        "Barcelona Metropolitan Area",
        "Metropolitan Area of Barcelona",
    ),
    "prov:08": (
        "Diputació de Barcelona",
        "Diputación de Barcelona",
        "Diputació",
        "Província de Barcelona",
        "Provincia de Barcelona",
        "Province of Barcelona",
        "Barcelona (província)",
        "Barcelona (provincia)",
    ),
}
_ARTICLES = frozenset({"el", "la", "l", "els", "les", "los", "las", "de", "del", "dels", "d"})


def entity_name_key(name: str) -> str:
    """'La Garriga' and 'Garriga, la' -> 'garriga'; 'Consell Comarcal del Bages' ->
    'consell comarcal bages': lowercase, no accents, no articles or 'de', single spaces."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    kept = [word for word in words if word not in _ARTICLES]
    return " ".join(kept or words)


def consell_name(comarca: str) -> str:
    if comarca in _NO_ARTICLE:
        return f"Consell Comarcal d'{comarca}"
    if comarca in _PLURAL_FEMININE:
        return f"Consell Comarcal de les {comarca}"
    if comarca[0] in "AEIOUÀÈÉÍÒÓÚ":
        return f"Consell Comarcal de l'{comarca}"
    if comarca in _FEMININE:
        return f"Consell Comarcal de la {comarca}"
    return f"Consell Comarcal del {comarca}"


def entity_aliases(entity: Entity) -> tuple[str, ...]:
    """Other names of ``entity`` a publisher may write (its name is not repeated here)."""
    aliases = ENTITY_ALIASES.get(entity.entity_code, ())
    if entity.entity_type == "consell_comarcal":
        aliases += (
            f"Consejo Comarcal {entity.comarca}",
            f"CC {entity.comarca}",
            f"{entity.comarca} (consell comarcal)",
        )
    elif entity.entity_type == "comarca":
        aliases += (f"Comarca {entity.comarca}", f"{entity.comarca} (comarca)")
    return aliases


def _sum_or_none(values: Iterable[float | int | None]) -> float | None:
    total = 0.0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _group_entity(
    *, code: str, name: str, entity_type: str, members: Sequence[Entity], comarca: str = ""
) -> Entity:
    # A comarca that crosses a provincial border (Osona, Selva, Cerdanya) belongs to the
    # province most of its municipalities are in.
    province, _ = Counter(m.province_code for m in members).most_common(1)[0]
    surface = _sum_or_none(m.surface_km2 for m in members)
    return Entity(
        entity_code=code,
        name=name,
        entity_type=entity_type,
        province_code=province,
        province_name=next(m.province_name for m in members if m.province_code == province),
        comarca=comarca,
        population=int(_sum_or_none(m.population for m in members) or 0),
        population_year=members[0].population_year,
        surface_km2=round(surface, 2) if surface is not None else None,
    )


def entities_supra_build(
    municipalities: Sequence[Entity], comarca_codes: dict[str, str]
) -> list[Entity]:
    """Comarques and consells comarcals of Catalonia, the AMB and the province of Barcelona.

    ``comarca_codes``: comarca name -> Idescat comarca code (from the Generalitat file).
    """
    by_comarca: dict[str, list[Entity]] = {}
    for entity in municipalities:
        if entity.comarca:
            by_comarca.setdefault(entity.comarca, []).append(entity)
    levels: list[Entity] = []
    for comarca, members in sorted(by_comarca.items()):
        number = comarca_codes[comarca]
        levels.append(
            _group_entity(
                code=f"com:{number}",
                name=comarca,
                entity_type="comarca",
                members=members,
                comarca=comarca,
            )
        )
        if number not in COMARCA_WITHOUT_COUNCIL:
            levels.append(
                _group_entity(
                    code=f"cc:{number}",
                    name=consell_name(comarca),
                    entity_type="consell_comarcal",
                    members=members,
                    comarca=comarca,
                )
            )
    barcelona = [m for m in municipalities if m.province_code == "08"]
    names = {m.name: m for m in barcelona}
    missing = [name for name in AMB_MUNICIPALITIES if name not in names]
    if missing:
        raise SystemExit(f"AMB municipalities not in entities.csv: {', '.join(missing)}")
    levels.append(
        _group_entity(
            code=AMB_CODE,
            name="Àrea Metropolitana de Barcelona",
            entity_type="metropolitan_area",
            members=[names[name] for name in AMB_MUNICIPALITIES],
        )
    )
    levels.append(
        _group_entity(
            code=PROVINCE_ENTITY_CODE.format(province="08"),
            name="Diputació de Barcelona",
            entity_type="province",
            members=barcelona,
        )
    )
    return levels
