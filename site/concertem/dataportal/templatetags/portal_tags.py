"""Template helpers for the portal: money and number formats, links between pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from datasets.number_display import euros_format, number_format, percent_format
from debates.markup import document_html_render

register = template.Library()

# THE number helpers of the site (see datasets/number_display.py for the rule and the
# formats): every figure a template shows goes through one of these three filters, in
# the page's language. ``places`` is the decimals the dataset declares; "" or None
# shows the value with its own (published) decimals.


def _places(places) -> int | None:
    if places is None or places == "":
        return None
    return int(places)


@register.filter
def euros(value, places=2) -> str:
    """An amount in euros, to the cent unless told otherwise: ``{{ x|euros }}``, ``|euros:0``."""
    return euros_format(value, _places(places), get_language())


@register.filter
def number(value, places=None) -> str:
    """A number as published (its own decimals) or rounded at ``places``: ``|number:1``."""
    return number_format(value, _places(places), get_language())


@register.filter
def percent(value, places=None) -> str:
    """A value already in percent: ``{{ 14.48|percent }}`` -> "14,48 %"."""
    return percent_format(value, _places(places), get_language())


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


@register.filter
def loc_reason(exclusion) -> str:
    """Why a formula handles an entity apart, in the page's language (English if untranslated)."""
    return exclusion.reason_in(get_language() or "ca")


# ---- Dataset pages: a Table Schema read by people ----

FIELD_TYPES = {
    "string": _("text"),
    "integer": _("whole number"),
    "number": _("number"),
    "boolean": _("true or false"),
    "year": _("year"),
    "date": _("date"),
    "datetime": _("date and time"),
    "geojson": _("GeoJSON geometry"),
    "object": _("JSON object"),
    "array": _("JSON list"),
}


@register.filter
def field_type(kind: str) -> str:
    """A Table Schema type in words ("integer" -> "whole number")."""
    return str(FIELD_TYPES.get(kind, kind))


@register.filter
def field_rules(constraints: dict | None) -> str:
    """A field's constraints in words: "required; one of: a, b; at least 0"."""
    constraints = constraints or {}
    rules = []
    if constraints.get("required"):
        rules.append(gettext("required"))
    if constraints.get("unique"):
        rules.append(gettext("no two rows alike"))
    if "enum" in constraints:
        values = ", ".join(str(value) for value in constraints["enum"])
        rules.append(gettext("one of: %(values)s") % {"values": values})
    low, high = (
        number_format(constraints.get(key), None, get_language()) if key in constraints else None
        for key in ("minimum", "maximum")
    )
    if low is not None and high is not None:
        rules.append(gettext("from %(low)s to %(high)s") % {"low": low, "high": high})
    elif low is not None:
        rules.append(gettext("at least %(low)s") % {"low": low})
    elif high is not None:
        rules.append(gettext("at most %(high)s") % {"high": high})
    if "minLength" in constraints:
        count = constraints["minLength"]
        rules.append(
            ngettext("at least %(count)s character", "at least %(count)s characters", count)
            % {"count": count}
        )
    if "maxLength" in constraints:
        count = constraints["maxLength"]
        rules.append(
            ngettext("at most %(count)s character", "at most %(count)s characters", count)
            % {"count": count}
        )
    if "pattern" in constraints:
        rules.append(gettext("written as %(pattern)s") % {"pattern": constraints["pattern"]})
    return "; ".join(rules) or "—"


@register.filter
def markdown_document(text: str) -> SafeString:
    """The project's own Markdown (a recipe, a changelog), sanitised by nh3."""
    return mark_safe(document_html_render(text or ""))  # noqa: S308 - nh3-cleaned
