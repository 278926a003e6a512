"""The portal's pages in ca/es/en under each home page. Idempotent."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

from common.pages import page_translations_ensure
from dataportal.models import (
    AllocationExplorerPage,
    DataCatalogPage,
    MunicipalityIndexPage,
    SdgIndexPage,
)

PROFILES = {
    "ca": {
        "title": "Municipis",
        "slug": "municipis",
        "intro": "<p>La fitxa de cada municipi de la província: xifres clau, assignacions "
        "i com s'han calculat, indicadors i Objectius de Desenvolupament Sostenible.</p>",
    },
    "es": {
        "title": "Municipios",
        "slug": "municipios",
        "intro": "<p>La ficha de cada municipio de la provincia: cifras clave, asignaciones "
        "y cómo se han calculado, indicadores y Objetivos de Desarrollo Sostenible.</p>",
    },
    "en": {
        "title": "Municipalities",
        "slug": "municipalities",
        "intro": "<p>A profile of every municipality of the province: key figures, "
        "allocations and how they were computed, indicators and the Sustainable "
        "Development Goals.</p>",
    },
}

EXPLORER = {
    "ca": {
        "title": "Repartiment de recursos",
        "slug": "repartiment",
        "intro": "<p>La fórmula amb què es reparteixen els recursos, explicada i executable: "
        "l'import de cada municipi, com s'ha calculat i què canvia entre versions.</p>",
    },
    "es": {
        "title": "Reparto de recursos",
        "slug": "reparto",
        "intro": "<p>La fórmula con la que se reparten los recursos, explicada y ejecutable: "
        "el importe de cada municipio, cómo se ha calculado y qué cambia entre "
        "versiones.</p>",
    },
    "en": {
        "title": "Allocation of resources",
        "slug": "allocation",
        "intro": "<p>The formula that shares out the resources, explained and executable: "
        "each municipality's amount, how it was computed, and what changes between "
        "versions.</p>",
    },
}


CATALOG = {
    "ca": {
        "title": "Dades obertes",
        "slug": "dades",
        "intro": "<p>Tots els conjunts de dades del programa, amb el diccionari de columnes, "
        "la llicència i les fonts. Es descarreguen i es consulten al portal de dades "
        "obertes (CKAN).</p>",
    },
    "es": {
        "title": "Datos abiertos",
        "slug": "datos",
        "intro": "<p>Todos los conjuntos de datos del programa, con el diccionario de "
        "columnas, la licencia y las fuentes. Se descargan y consultan en el portal "
        "de datos abiertos (CKAN).</p>",
    },
    "en": {
        "title": "Open data",
        "slug": "data",
        "intro": "<p>Every dataset of the programme, with its column dictionary, licence and "
        "sources. Download and query them on the open data portal (CKAN).</p>",
    },
}


SDG = {
    "ca": {
        "title": "Agenda 2030",
        "slug": "ods",
        "intro": "<p>Els 17 Objectius de Desenvolupament Sostenible i els indicadors del "
        "territori que en fan el seguiment, municipi a municipi.</p>",
    },
    "es": {
        "title": "Agenda 2030",
        "slug": "ods",
        "intro": "<p>Los 17 Objetivos de Desarrollo Sostenible y los indicadores del "
        "territorio que hacen su seguimiento, municipio a municipio.</p>",
    },
    "en": {
        "title": "Agenda 2030",
        "slug": "sdg",
        "intro": "<p>The 17 Sustainable Development Goals and the indicators of the "
        "territory that monitor them, municipality by municipality.</p>",
    },
}


@transaction.atomic
def portal_pages_load(homes: dict[str, Page]) -> dict[str, dict[str, Page]]:
    explorer_content = {
        code: {**values, "formula_id": "pgi-2024-2027"} for code, values in EXPLORER.items()
    }
    return {
        "catalog": page_translations_ensure(parents=homes, model=DataCatalogPage, content=CATALOG),
        "explorer": page_translations_ensure(
            parents=homes, model=AllocationExplorerPage, content=explorer_content
        ),
        "profiles": page_translations_ensure(
            parents=homes, model=MunicipalityIndexPage, content=PROFILES
        ),
        "sdg": page_translations_ensure(parents=homes, model=SdgIndexPage, content=SDG),
    }
