"""The facility map page in Catalan, Spanish and English (the data are real, not demo)."""

from __future__ import annotations

from wagtail.models import Page

from common.pages import page_translations_ensure
from facilities.models import FacilityMapPage

PAGE = {
    "ca": {
        "title": "Mapa d'equipaments",
        "slug": "equipaments",
        "intro": "Els equipaments públics de la província de Barcelona: on són, de quin tipus, "
        "i quants n'hi ha per cada 1.000 habitants a cada municipi.",
    },
    "es": {
        "title": "Mapa de equipamientos",
        "slug": "equipamientos",
        "intro": "Los equipamientos públicos de la provincia de Barcelona: dónde están, de qué "
        "tipo, y cuántos hay por cada 1.000 habitantes en cada municipio.",
    },
    "en": {
        "title": "Facilities map",
        "slug": "facilities",
        "intro": "The public facilities of the province of Barcelona: where they are, of what "
        "kind, and how many there are per 1,000 inhabitants in each municipality.",
    },
}


def demo_facilities_load(homes: dict[str, Page]) -> dict[str, Page]:
    return page_translations_ensure(parents=homes, model=FacilityMapPage, content=PAGE)
