"""Template helpers for the portal: money and number formats, links between pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language
from wagtail.models import Locale, Page

register = template.Library()


@register.filter
def euros(value, places: int = 0) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), decimal_pos=int(places), force_grouping=True)} €"


@register.filter
def number(value, places: int = 0) -> str:
    if value is None or value == "":
        return "—"
    return number_format(Decimal(str(value)), decimal_pos=int(places), force_grouping=True)


@register.filter
def percent(value, places: int = 1) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(str(value)), decimal_pos=int(places))} %"


def _portal_page(model_name: str) -> Page | None:
    locale = Locale.objects.filter(language_code=get_language()).first()
    pages = Page.objects.live().filter(content_type__model=model_name)
    if locale is not None:
        localised = pages.filter(locale=locale).first()
        if localised is not None:
            return localised
    return pages.first()


@register.simple_tag(takes_context=True)
def portal_url(context, model_name: str, suffix: str = "") -> str:
    """URL of the portal page of that type in the current language (+ a route suffix).

    Looked up once per request and page type, however many links a page has.
    """
    request = context.get("request")
    cache = getattr(request, "_portal_urls", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._portal_urls = cache
    if model_name not in cache:
        page = _portal_page(model_name)
        cache[model_name] = page.url if page is not None else ""
    base = cache[model_name]
    return f"{base}{suffix}" if base else ""


@register.filter
def loc_title(item) -> str:
    """A formula's or criterion's title in the page's language (English if untranslated)."""
    method = getattr(item, "title_in", None)
    return method(get_language() or "ca") if method else getattr(item, "title", str(item))


@register.filter
def loc_description(item) -> str:
    method = getattr(item, "description_in", None)
    return method(get_language() or "ca") if method else getattr(item, "description", "")
