"""The demo site's pages in Catalan, Spanish and English.

Kept apart from the command so that tests can load the same content.
The texts summarise the Diputació's public description of *Concertem en xarxa*.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from common.pages import locales_ensure, page_publish, page_translations_ensure
from home.models import HomePage, SiteSettings, StandardPage

HOME = {
    "ca": {
        "title": "Inici",
        "hero_title": "Concertem en xarxa",
        "hero_text": (
            "La cooperació de la Diputació de Barcelona amb els 311 municipis de la província, "
            "en obert: com es reparteixen els recursos i per què, amb quines dades, i un espai "
            "per debatre-ho amb els governs locals."
        ),
        "hero_cta_text": "Coneix el programa",
    },
    "es": {
        "title": "Inicio",
        "hero_title": "Concertem en xarxa",
        "hero_text": (
            "La cooperación de la Diputació de Barcelona con los 311 municipios de la provincia, "
            "en abierto: cómo se reparten los recursos y por qué, con qué datos, y un espacio "
            "para debatirlo con los gobiernos locales."
        ),
        "hero_cta_text": "Conoce el programa",
    },
    "en": {
        "title": "Home",
        "hero_title": "Concertem en xarxa",
        "hero_text": (
            "The Barcelona Provincial Council's cooperation with the 311 municipalities of the "
            "province, in the open: how resources are shared out and why, with which data, and a "
            "space to debate it with the local governments."
        ),
        "hero_cta_text": "About the programme",
    },
}

ABOUT = {
    "ca": {
        "title": "El programa",
        "slug": "programa",
        "intro": (
            "Concertem en xarxa reforma el suport de la Diputació als governs locals: de l'acció "
            "assistencial a una cooperació planificada, transparent, justa i equitativa."
        ),
        "paragraphs": [
            "El programa publica la <b>fórmula de càlcul</b> de cada repartiment de recursos i "
            "l'import atorgat a cada ens local, construeix un <b>banc de dades</b> per a la presa "
            "de decisions i un <b>sistema únic d'indicadors</b> que també segueix els Objectius de "
            "Desenvolupament Sostenible de l'Agenda 2030.",
            "També obre <b>espais de reflexió i debat</b> amb els governs locals, perquè la "
            "cooperació es construeixi conjuntament, i ofereix a cada ens local la informació "
            "sobre l'estat d'execució de les seves actuacions.",
        ],
    },
    "es": {
        "title": "El programa",
        "slug": "programa",
        "intro": (
            "Concertem en xarxa reforma el apoyo de la Diputació a los gobiernos locales: de la "
            "acción asistencial a una cooperación planificada, transparente, justa y equitativa."
        ),
        "paragraphs": [
            "El programa publica la <b>fórmula de cálculo</b> de cada reparto de recursos y el "
            "importe otorgado a cada ente local, construye un <b>banco de datos</b> para la toma "
            "de decisiones y un <b>sistema único de indicadores</b> que también sigue los "
            "Objetivos de Desarrollo Sostenible de la Agenda 2030.",
            "También abre <b>espacios de reflexión y debate</b> con los gobiernos locales, para "
            "que la cooperación se construya conjuntamente, y ofrece a cada ente local la "
            "información sobre el estado de ejecución de sus actuaciones.",
        ],
    },
    "en": {
        "title": "The programme",
        "slug": "programme",
        "intro": (
            "Concertem en xarxa reforms the Provincial Council's support to local governments: "
            "from hand-outs to planned cooperation that is transparent, fair and equal across "
            "the territory."
        ),
        "paragraphs": [
            "The programme publishes the <b>calculation formula</b> of every distribution of "
            "resources and the amount granted to each local entity, builds a <b>data bank</b> "
            "for decision-making, and a <b>single indicator system</b> that also monitors the "
            "UN Agenda 2030 Sustainable Development Goals.",
            "It also opens <b>spaces for reflection and debate</b> with the local governments, "
            "so that cooperation is built together, and gives each local entity information on "
            "the execution status of its actions.",
        ],
    },
}

DEMO_EDITOR = {
    "username": "editor",
    "password": "concertem-editor",
    "first_name": "Núria",
    "last_name": "Puig (editora)",
    "email": "editor@example.org",
}


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
