"""The descriptive building blocks of a dataset: texts in ca/es/en, licences, sources,
publisher and spatial coverage, and the catalogue's errors.

Kept apart from the spec types (``datasets.catalog.types``) because the shared facts
(``datasets.catalog.facts``) are made of these blocks and the spec types default to facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from datasets.errors import DatasetError

LANGUAGES: tuple[str, ...] = ("ca", "es", "en")

Text = Mapping[str, str]


class CatalogError(DatasetError):
    code = "catalog-error"


class CatalogUnknownDatasetError(CatalogError):
    code = "catalog-unknown-dataset"


class CatalogSourceMissingError(CatalogError):
    """A file produced outside ``datasets`` (a site export) is not there yet."""

    code = "catalog-source-missing"


def text(ca: str, es: str, en: str) -> dict[str, str]:
    return {"ca": ca, "es": es, "en": en}


# ---- Descriptive building blocks ----


@dataclass(frozen=True)
class Licence:
    id: str  # SPDX identifier, as Data Package `licenses[].name`
    title: str
    url: str
    # The id in CKAN's licence list: the SPDX id, which names the version (the local CKAN
    # lists licences by SPDX id; CKAN's stock list has only the unversioned "cc-by").
    ckan_id: str


@dataclass(frozen=True)
class Source:
    """Where a dataset's data come from. ``title`` and ``attribution`` are English (the Data
    Package and CKAN carry them); the ``_ca``/``_es`` texts are for the dataset pages."""

    title: str
    url: str
    licence: str
    attribution: str
    title_ca: str = ""
    title_es: str = ""
    attribution_ca: str = ""
    attribution_es: str = ""

    def title_in(self, language: str) -> str:
        return getattr(self, f"title_{language}", "") or self.title

    def attribution_in(self, language: str) -> str:
        return getattr(self, f"attribution_{language}", "") or self.attribution


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    email: str
    # EU publisher-type vocabulary (ADMS): a local authority
    type_uri: str = "http://purl.org/adms/publishertype/LocalAuthority"


@dataclass(frozen=True)
class Spatial:
    uri: str
    label: Text
