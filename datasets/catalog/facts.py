"""Facts every dataset shares: the publisher, the province, the licences and the sources."""

from __future__ import annotations

from datasets.catalog.blocks import Licence, Publisher, Source, Spatial, text

# The province the programme covers; the published territory is scoped to it.
PROVINCE_CODE = "08"

DIBA = Publisher(
    name="Diputació de Barcelona",
    url="https://www.diba.cat",
    email="dadesobertes@diba.cat",
)
PROVINCE_BARCELONA = Spatial(
    # NUTS 3 region ES511 is the province of Barcelona.
    uri="http://data.europa.eu/nuts/code/ES511",
    label=text("Província de Barcelona", "Provincia de Barcelona", "Province of Barcelona"),
)
CC_BY_4_0 = Licence(
    id="CC-BY-4.0",
    title="Creative Commons Attribution 4.0",
    url="https://creativecommons.org/licenses/by/4.0/",
    ckan_id="CC-BY-4.0",
)
MIT = Licence(
    id="MIT", title="MIT License", url="https://opensource.org/licenses/MIT", ckan_id="MIT"
)
AGPL_3_0 = Licence(
    id="AGPL-3.0-only",
    title="GNU Affero General Public License v3.0",
    url="https://www.gnu.org/licenses/agpl-3.0.html",
    ckan_id="AGPL-3.0-only",
)

SOURCE_INE_ATLAS = Source(
    title="INE, Atlas de Distribución de Renta de los Hogares (ADRH) and Censo de Población 2021",
    url="https://www.ine.es/experimental/atlas/experimental_atlas.htm",
    licence="CC-BY-4.0",
    attribution="Instituto Nacional de Estadística (INE), compiled by ineAtlas.data (pablogguz)",
    title_ca="INE, Atlas de Distribució de Renda de les Llars (ADRH) i Cens de Població 2021",
    title_es="INE, Atlas de Distribución de Renta de los Hogares (ADRH) y Censo de Población 2021",
    attribution_ca="Institut Nacional d'Estadística (INE), recopilat per ineAtlas.data (pablogguz)",
    attribution_es=(
        "Instituto Nacional de Estadística (INE), recopilado por ineAtlas.data (pablogguz)"
    ),
)
SOURCE_INE_CODES = Source(
    title="INE municipality codes (codeforspain/ds-organizacion-administrativa)",
    url="https://github.com/codeforspain/ds-organizacion-administrativa",
    licence="ODC-PDDL-1.0",
    attribution="Instituto Nacional de Estadística (INE), via codeforspain",
    title_ca="Codis de municipi de l'INE (codeforspain/ds-organizacion-administrativa)",
    title_es="Códigos de municipio del INE (codeforspain/ds-organizacion-administrativa)",
    attribution_ca="Institut Nacional d'Estadística (INE), a través de codeforspain",
    attribution_es="Instituto Nacional de Estadística (INE), a través de codeforspain",
)
SOURCE_GENCAT = Source(
    title="Municipis Catalunya Geo (Generalitat de Catalunya open data)",
    url="https://analisi.transparenciacatalunya.cat/d/9aju-tpwc",
    licence="Llicència oberta d'ús d'informació - Catalunya",
    attribution="Idescat / Institut Cartogràfic i Geològic de Catalunya (ICGC)",
    title_ca="Municipis Catalunya Geo (dades obertes de la Generalitat de Catalunya)",
    title_es="Municipis Catalunya Geo (datos abiertos de la Generalitat de Catalunya)",
)
SOURCE_VISOR = Source(
    title="Visor Agenda 2030 de la Diputació de Barcelona",
    url="https://github.com/DiputacioBarcelona/Visor2030-Front",
    licence="AGPL-3.0-only",
    attribution="© Diputació de Barcelona; municipal boundaries by the ICGC",
    title_ca="Visor Agenda 2030 de la Diputació de Barcelona",
    title_es="Visor Agenda 2030 de la Diputació de Barcelona",
    attribution_ca="© Diputació de Barcelona; límits municipals de l'ICGC",
    attribution_es="© Diputació de Barcelona; límites municipales del ICGC",
)
SOURCE_OPEN_SDG = Source(
    title="Open SDG translations of the UN global SDG indicator framework",
    url="https://github.com/open-sdg/sdg-translations",
    licence="MIT",
    attribution="Open SDG; titles from the UN global indicator framework (A/RES/71/313)",
    title_ca="Traduccions d'Open SDG del marc mundial d'indicadors dels ODS de l'ONU",
    title_es="Traducciones de Open SDG del marco mundial de indicadores de los ODS de la ONU",
    attribution_ca="Open SDG; títols del marc mundial d'indicadors de l'ONU (A/RES/71/313)",
    attribution_es="Open SDG; títulos del marco mundial de indicadores de la ONU (A/RES/71/313)",
)
SOURCE_CONCERTEM = Source(
    title="Concertem (this project): formulas, indicator catalogue and translations",
    url="https://www.diba.cat",
    licence="CC-BY-4.0",
    attribution="Diputació de Barcelona, Concertem en xarxa",
    title_ca="Concertem (aquest projecte): fórmules, catàleg d'indicadors i traduccions",
    title_es="Concertem (este proyecto): fórmulas, catálogo de indicadores y traducciones",
)
