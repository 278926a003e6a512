"""Pages kept in the three languages as translations of each other.

The demo loaders of every app, and tests that need a page in each language, create their
pages through ``page_translations_ensure`` so that the language switcher links them.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Collection, Locale, Page

LANGUAGE_CODES = ("ca", "es", "en")


def locales_ensure() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGE_CODES}


def page_publish(page: Page) -> None:
    page.save_revision().publish()


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


def page_translations_ensure(
    *,
    parents: dict[str, Page],
    model: type[Page],
    content: dict[str, dict],
    in_menus: bool | None = True,
    **fields,
) -> dict[str, Page]:
    """Create or refresh one page under each language's parent, as translations of each other.

    ``content`` maps a language code to the page's field values (``slug`` included);
    ``fields`` are values every language shares. The Catalan page is the source and the
    others are its translations, so the language switcher links them. Pages are published
    and shown in menus (``in_menus``; ``None`` leaves each page's choice alone). Idempotent.
    """
    content = {code: {**fields, **values} for code, values in content.items()}
    source_parent = parents["ca"]
    source = model.objects.child_of(source_parent).filter(slug=content["ca"]["slug"]).first()
    if source is None:
        source = model(title=content["ca"]["title"], slug=content["ca"]["slug"])
        for field, value in content["ca"].items():
            setattr(source, field, value)
        # Re-read the parent: its tree columns may be stale after earlier additions.
        type(source_parent).objects.get(pk=source_parent.pk).add_child(instance=source)
    pages: dict[str, Page] = {"ca": source}
    for code in LANGUAGE_CODES[1:]:
        translation = source.get_translation_or_none(parents[code].locale)
        if translation is None:
            translation = source.copy_for_translation(parents[code].locale)
        pages[code] = translation.specific
    for code, page in pages.items():
        for field, value in content[code].items():
            setattr(page, field, value)
        if in_menus is not None:
            page.show_in_menus = in_menus
        page_publish(page)
    # Re-read: publishing saves another instance, so these still carry the old url_path.
    return {code: model.objects.get(pk=page.pk) for code, page in pages.items()}
