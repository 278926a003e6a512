"""The dataset catalogue as the site shows it: specs, built packages, CKAN links.

Specs come from ``datasets.catalog`` (the single description of every dataset);
versions, checksums and previews from the packages ``concertem build`` wrote; the
CKAN links from the portal itself, asked once and cached, so that a page view
never waits on CKAN for more than a short timeout — and never at all while cached.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

from datasets.catalog import DatasetSpec, catalog_specs
from publishing.ckan import CkanGateway
from publishing.config import CkanConfig
from publishing.errors import PublishError

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 10
CKAN_TIMEOUT = 2.0
CKAN_CACHE_SECONDS = 300


@lru_cache(maxsize=1)
def specs() -> tuple[DatasetSpec, ...]:
    return tuple(catalog_specs())


def spec_get(name: str) -> DatasetSpec | None:
    return next((spec for spec in specs() if spec.name == name), None)


def package_dir(name: str) -> Path:
    return Path(settings.CONCERTEM_BUILD_DIR) / "datapackages" / name


def descriptor_load(name: str) -> dict[str, Any] | None:
    path = package_dir(name) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def changelog_load(name: str) -> str:
    path = package_dir(name) / "CHANGELOG.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def preview_rows(name: str, resource_path: str) -> tuple[list[str], list[list[str]]]:
    """The header and first rows of a built CSV resource (nothing if not built)."""
    path = (package_dir(name) / resource_path).resolve()
    if not path.is_relative_to(package_dir(name).resolve()) or not path.exists():
        return [], []
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        rows = [row for _, row in zip(range(PREVIEW_ROWS), reader, strict=False)]
    return header, rows


def package_file(name: str, file_path: str) -> Path | None:
    """A file of a built package, if it is one the descriptor lists (or its docs)."""
    descriptor = descriptor_load(name)
    if descriptor is None:
        return None
    allowed = {"datapackage.json", "README.md", "CHANGELOG.md"}
    allowed.update(resource["path"] for resource in descriptor.get("resources", []))
    if file_path not in allowed:
        return None
    path = (package_dir(name) / file_path).resolve()
    if not path.is_relative_to(package_dir(name).resolve()) or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class CkanLinks:
    site: str
    dataset_url: str
    resources: dict[str, dict[str, str]]  # resource name -> {"url", "id", "datastore"}


def ckan_site() -> tuple[str, str]:
    """(public CKAN URL, dataset name prefix); empty when no portal is configured."""
    public = getattr(settings, "CKAN_PUBLIC_URL", "")
    try:
        config = CkanConfig.from_env()
    except PublishError:
        return public, ""
    return (public or config.url).rstrip("/"), config.dataset_prefix


def ckan_links(name: str) -> CkanLinks | None:
    site, prefix = ckan_site()
    if not site:
        return None
    key = f"ckan-links:{site}:{prefix}{name}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    links = _ckan_links_fetch(site, f"{prefix}{name}")
    # Cache a miss too (as {}), so a CKAN that is down costs one timeout per period.
    cache.set(key, links or {}, CKAN_CACHE_SECONDS)
    return links


def _ckan_links_fetch(site: str, ckan_name: str) -> CkanLinks | None:
    """One anonymous ``package_show`` through the publishing gateway (the one code that
    talks to CKAN): a short timeout and no retry, since a page is waiting."""
    if not site.startswith(("http://", "https://")):
        return None
    config = CkanConfig(url=site, timeout=CKAN_TIMEOUT, retries=0)
    try:
        with CkanGateway(config) as gateway:
            package = gateway.call("package_show", {"id": ckan_name}, what=ckan_name)
    except PublishError as error:
        logger.info("CKAN links for %s unavailable: %s", ckan_name, error)
        return None
    return CkanLinks(
        site=site,
        dataset_url=f"{site}/dataset/{ckan_name}",
        resources={
            resource["name"]: {
                "url": resource.get("url", ""),
                "id": resource["id"],
                "datastore": "1" if resource.get("datastore_active") else "",
            }
            for resource in package.get("resources", [])
        },
    )
