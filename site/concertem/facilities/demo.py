"""The facility map page in Catalan, Spanish and English (the data are real, not demo)."""

from __future__ import annotations

from wagtail.models import Page

from concertem.common.demo import demo_data_load
from concertem.common.pages import page_translations_ensure
from concertem.facilities.models import FacilityMapPage

_DATA = demo_data_load(__file__, "facilities")
PAGE = _DATA["page"]


def demo_facilities_load(homes: dict[str, Page]) -> dict[str, Page]:
    return page_translations_ensure(parents=homes, model=FacilityMapPage, content=PAGE)
