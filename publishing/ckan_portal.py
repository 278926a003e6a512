"""The local CKAN portal's own words and catalogue: what publishing/ckan_server.py configures.

Standard library only, like the server module: the portal's title, description and about
text (CKAN has one of each, so each holds the three languages), its licence list by SPDX
id, and the catalogue's own DCAT-AP properties that ckanext-concertem_dcat's profile adds.
"""

from __future__ import annotations

import os
from typing import Any

ORG_TITLE = "Diputació de Barcelona"
# Licences by SPDX id, so CKAN names the version (CC-BY-4.0, not the generic cc-by);
# written to the home and read by CKAN through licenses_group_url.
# fmt: off
LICENCES = (
    ("CC-BY-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("CC-BY-SA-4.0", "Creative Commons Attribution Share-Alike 4.0",
     "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("CC0-1.0", "Creative Commons CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("ODC-PDDL-1.0", "Open Data Commons Public Domain Dedication and License 1.0",
     "https://opendatacommons.org/licenses/pddl/1-0/"),
    ("ODbL-1.0", "Open Data Commons Open Database License 1.0",
     "https://opendatacommons.org/licenses/odbl/1-0/"),
    ("MIT", "MIT License", "https://opensource.org/licenses/MIT"),
    ("AGPL-3.0-only", "GNU Affero General Public License v3.0",
     "https://www.gnu.org/licenses/agpl-3.0.html"),
)
# fmt: on
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
SITE_URL_DEFAULT = "http://127.0.0.1:8000"  # the site's public URL when DJANGO_BASE_URL is unset
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
        "uri": "https://www.diba.cat",
        "name": ORG_TITLE,
        "email": "dadesobertes@diba.cat",
        "type": "http://purl.org/adms/publishertype/LocalAuthority",
    },
    "licence": "https://creativecommons.org/licenses/by/4.0/",
    "licence_type": "http://purl.org/adms/licencetype/Attribution",
    # NUTS 3 ES511: the province of Barcelona.
    "spatial": "http://data.europa.eu/nuts/code/ES511",
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
        {"id": spdx, "title": title, "url": url, "od_conformance": "approved", "status": "active"}
        for spdx, title, url in LICENCES
    ]


def site_texts() -> dict[str, str]:
    return {
        "ckan.site_title": SITE_TITLE,
        "ckan.site_description": SITE_DESCRIPTION,
        "ckan.site_about": SITE_ABOUT,
        "ckan.site_intro_text": SITE_INTRO,
    }


def site_url() -> str:
    """The site's public address (the catalogue's homepage), as the site itself has it."""
    return (os.environ.get("DJANGO_BASE_URL") or SITE_URL_DEFAULT).rstrip("/")
