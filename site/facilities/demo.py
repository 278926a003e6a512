"""The facility map page in Catalan, Spanish and English (the data are real, not demo)."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Collection, Locale, Page

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


def wagtail_roots_ensure() -> None:
    """Recreate the rows Wagtail's migrations make (root page, root collection, a locale).

    A flushed database lacks them: the browser tests' transactional cases flush between
    tests, and pytest-django does not always restore the serialized rows (observed when a
    non-transactional database test runs first in the same session).
    """
    locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def translated_pages_ensure(
    homes: dict[str, Page], model: type[Page], content: dict[str, dict[str, str]], **fields
) -> dict[str, Page]:
    """One page per language under the home pages, translations linked; idempotent."""
    from home.demo_content import page_translations_ensure

    return page_translations_ensure(
        parents=homes,
        model=model,
        content={code: {**fields, **values} for code, values in content.items()},
    )


def demo_facilities_load(homes: dict[str, Page]) -> dict[str, Page]:
    return translated_pages_ensure(homes, FacilityMapPage, PAGE)
