"""Navigation helpers for the base template: main menu and language switcher."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_from_path
from wagtail.models import Locale, Page, Site

from concertem.common.params import LANGUAGE_PARAMETER

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def _home_page_for(request, language_code: str) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None or root.locale_id == locale.id:
        return root
    return root.get_translation_or_none(locale)


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    request = context.get("request")
    if request is None:
        return []
    home = _home_page_for(request, get_language())
    if home is None:
        return []
    return list(home.get_children().live().public().in_menu())


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    request = context.get("request")
    home = _home_page_for(request, get_language()) if request else None
    return home.url if home is not None else "/"


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """One link per language: the page's own translation when it has one."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations: dict[str, str] = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.url
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code]
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
            if not get_language_from_path(request.path_info):
                # A page without a language prefix (debate actions, e-mail preferences):
                # the locale middleware reads the language from the address instead.
                query = request.GET.copy()
                query[LANGUAGE_PARAMETER] = code
                url = f"{request.path}?{query.urlencode()}"
        else:
            url = f"/{code}/"
        links.append(LanguageLink(code=code, name=name, url=url, current=code == current))
    return links
