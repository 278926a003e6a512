"""The portal's pages in ca/es/en under each home page. Idempotent."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

from concertem.common.demo import demo_data_load
from concertem.common.pages import page_translations_ensure
from concertem.dataportal.models import (
    AllocationExplorerPage,
    DataCatalogPage,
    MunicipalityIndexPage,
    SdgIndexPage,
)

_DATA = demo_data_load(__file__, "portal")
PROFILES = _DATA["profiles"]
EXPLORER = _DATA["explorer"]
CATALOG = _DATA["catalog"]
SDG = _DATA["sdg"]


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
