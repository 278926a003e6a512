"""The demo site's pages in Catalan, Spanish and English.

Kept apart from the command so that tests can load the same content.
The texts summarise the Diputació's public description of *Concertem en xarxa*.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from concertem.common.demo import demo_data_load
from concertem.common.pages import locales_ensure, page_publish, page_translations_ensure
from concertem.home.models import HomePage, SiteSettings, StandardPage

_DATA = demo_data_load(__file__, "site")
HOME = _DATA["home"]
ABOUT = _DATA["about"]
DEMO_EDITOR = _DATA["demo_editor"]


def _body_paragraphs(paragraphs: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in paragraphs]


def home_tree_ensure() -> dict[str, HomePage]:
    """Create or refresh the home page in each language; return them by language code."""
    locales = locales_ensure()
    root = Page.get_first_root_node()
    homes: dict[str, HomePage] = {}
    catalan = HomePage.objects.filter(locale=locales["ca"], depth=2).first()
    if catalan is None:
        # Wagtail's first migration leaves a "Welcome" page as the site root. It has
        # no content and would take the slug we need, so it goes.
        Page.objects.filter(depth=2).exclude(
            content_type__model="homepage", content_type__app_label="home"
        ).delete()
        catalan = HomePage(slug="inici", locale=locales["ca"], **HOME["ca"])
        root.add_child(instance=catalan)
    homes["ca"] = catalan
    for code in ("es", "en"):
        translation = catalan.get_translation_or_none(locales[code])
        if translation is None:
            translation = catalan.copy_for_translation(locales[code])
        homes[code] = translation.specific
    for code, home in homes.items():
        for field, value in HOME[code].items():
            setattr(home, field, value)
        page_publish(home)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = homes["ca"]
    site.site_name = "Concertem en xarxa"
    site.save()
    settings_row = SiteSettings.for_site(site)
    settings_row.contact_email = "concertem@example.org"
    settings_row.save()
    return homes


def about_pages_ensure(homes: dict[str, HomePage]) -> dict[str, Page]:
    content = {
        code: {
            "title": about["title"],
            "slug": about["slug"],
            "intro": about["intro"],
            "search_description": about["intro"],
            "body": _body_paragraphs(about["paragraphs"]),
        }
        for code, about in ABOUT.items()
    }
    pages = page_translations_ensure(parents=homes, model=StandardPage, content=content)
    for code, home in homes.items():
        # Re-read: the tree columns (numchild) changed when the children were added,
        # and saving the stale instance would hide them from routing.
        fresh = HomePage.objects.get(pk=home.pk)
        fresh.hero_cta_page = pages[code]
        page_publish(fresh)
    return pages


def demo_editor_ensure() -> None:
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=DEMO_EDITOR["username"])
    user.first_name = DEMO_EDITOR["first_name"]
    user.last_name = DEMO_EDITOR["last_name"]
    user.email = DEMO_EDITOR["email"]
    user.set_password(DEMO_EDITOR["password"])
    user.save()
    # Wagtail's initial data creates the "Editors" and "Moderators" groups with
    # admin access and page permissions on the whole tree.
    for name in ("Editors", "Moderators"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            user.groups.add(group)


@transaction.atomic
def demo_site_load() -> dict[str, HomePage]:
    homes = home_tree_ensure()
    about_pages_ensure(homes)
    demo_editor_ensure()
    return {code: HomePage.objects.get(pk=home.pk) for code, home in homes.items()}


def demo_homes_get() -> dict[str, HomePage]:
    """The home page of each language, the demo site loaded first if one is missing."""
    homes = {home.locale.language_code: home for home in HomePage.objects.filter(depth=2)}
    if not {"ca", "es", "en"} <= set(homes):
        homes = demo_site_load()
    return homes
