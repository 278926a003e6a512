"""The local CKAN portal's own words and catalogue: what ``ckanlocal.config`` configures.

The portal's title, description and about text (CKAN has one of each, so each holds the
three languages), its licence list by SPDX id, and the catalogue's own DCAT-AP properties
that ckanext-concertem_dcat's profile adds. The facts the datasets state too (the
publisher, the licences they use, the province) come from ``datasets.catalog``; the site's
address from ``publishing.config``.
"""

from __future__ import annotations

from typing import Any

from datasets.catalog import AGPL_3_0, CC_BY_4_0, DIBA, MIT, PROVINCE_BARCELONA, Licence
from publishing.config import site_url_from_env

ORG_TITLE = DIBA.name


def _licence(spdx: str, title: str, url: str) -> Licence:
    return Licence(id=spdx, title=title, url=url, ckan_id=spdx)


# Licences by SPDX id, so CKAN names the version (CC-BY-4.0, not the generic cc-by);
# written to the home and read by CKAN through licenses_group_url. The catalogue's own,
# then the other open licences an editor may pick on the portal.
LICENCES = (
    CC_BY_4_0,
    _licence(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    _licence(
        "CC0-1.0",
        "Creative Commons CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    _licence(
        "ODC-PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    _licence(
        "ODbL-1.0",
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    MIT,
    AGPL_3_0,
)
# The portal's own words (CKAN has one site title and one about text: all three languages).
SITE_TITLE = "Concertem en xarxa · Dades obertes"
SITE_DESCRIPTION = (
    "Dades obertes de la Diputació de Barcelona: repartiments, territori, indicadors i ODS "
    "del programa de cooperació local."
)
SITE_ABOUT = """\
**Català.** Aquest portal publica les dades obertes de *Concertem en xarxa*, el programa de \
cooperació local de la Diputació de Barcelona amb els 311 municipis de la província: els \
repartiments i la fórmula que els calcula, el territori, els indicadors i els ODS. Cada \
conjunt de dades és un Data Package validat, amb el seu diccionari de dades, la seva llicència \
i el seu historial de versions, i el catàleg s'exposa en DCAT-AP 3 a /catalog.ttl.

**Castellano.** Este portal publica los datos abiertos de *Concertem en xarxa*, el programa de \
cooperación local de la Diputació de Barcelona con los 311 municipios de la provincia: los \
repartos y la fórmula que los calcula, el territorio, los indicadores y los ODS. Cada conjunto \
de datos es un Data Package validado, con su diccionario de datos, su licencia y su historial \
de versiones, y el catálogo se expone en DCAT-AP 3 en /catalog.ttl.

**English.** This portal publishes the open data of *Concertem en xarxa*, the local \
cooperation programme of the Diputació de Barcelona with the 311 municipalities of the \
province: the allocations and the formula that computes them, the territory, the indicators \
and the SDGs. Every dataset is a validated Data Package with its data dictionary, licence and \
version history, and the catalogue is exposed as DCAT-AP 3 at /catalog.ttl.
"""
EU_AUTHORITY = "http://publications.europa.eu/resource/authority"
# The catalogue's own DCAT-AP properties (ckanext-concertem_dcat's profile adds them).
CATALOG = {
    "title": {
        "ca": "Dades obertes de Concertem en xarxa",
        "es": "Datos abiertos de Concertem en xarxa",
        "en": "Open data of Concertem en xarxa",
    },
    "description": {
        "ca": "Repartiments, territori, indicadors i ODS del programa de cooperació local "
        "de la Diputació de Barcelona.",
        "es": "Repartos, territorio, indicadores y ODS del programa de cooperación local "
        "de la Diputació de Barcelona.",
        "en": "Allocations, territory, indicators and SDGs of the local cooperation "
        "programme of the Diputació de Barcelona.",
    },
    "languages": [f"{EU_AUTHORITY}/language/{code}" for code in ("CAT", "SPA", "ENG")],
    "publisher": {
        "uri": DIBA.url,
        "name": DIBA.name,
        "email": DIBA.email,
        "type": DIBA.type_uri,
    },
    "licence": CC_BY_4_0.url,
    "licence_type": "http://purl.org/adms/licencetype/Attribution",
    "spatial": PROVINCE_BARCELONA.uri,
    "theme_taxonomy": {
        "uri": f"{EU_AUTHORITY}/data-theme",
        "title": {"en": "Data theme", "ca": "Temes de dades", "es": "Temas de datos"},
    },
}
SITE_INTRO = (
    "Dades obertes de *Concertem en xarxa* · Datos abiertos · Open data — Diputació de Barcelona"
)


def licences_register() -> list[dict[str, Any]]:
    return [
        {
            "id": licence.ckan_id,
            "title": licence.title,
            "url": licence.url,
            "od_conformance": "approved",
            "status": "active",
        }
        for licence in LICENCES
    ]


def site_texts() -> dict[str, str]:
    return {
        "ckan.site_title": SITE_TITLE,
        "ckan.site_description": SITE_DESCRIPTION,
        "ckan.site_about": SITE_ABOUT,
        "ckan.site_intro_text": SITE_INTRO,
    }


def catalog_properties() -> dict[str, Any]:
    """The catalogue's properties with its homepage: the site's public address."""
    return {**CATALOG, "homepage": site_url_from_env()}
