"""Reading the data bank: the pure catalogue, the values and ``IndicatorViews``, built from the
database and cached per data-bank version.

The cache is this process's memory, but its key is the ``DataVersion`` counter read from the
database on every call (one indexed single-row query): an import or undo through any server
bumps it in its transaction, and every other process rebuilds at its next call. No process
ever serves values older than the last committed change.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from concertem.databank.catalog_io import catalog_build, indicator_raw
from concertem.databank.models import Import, Indicator, ValueBlock
from concertem.databank.services import version_current
from concertem.databank.value_store import values_rows
from datasets.indicators.catalog import IndicatorCatalog, IndicatorCatalogError
from datasets.indicators.values import IndicatorValues, ValueRow
from datasets.indicators.views import IndicatorViews


@dataclass(frozen=True)
class _Built:
    version: tuple[int, str]
    catalog: IndicatorCatalog
    views: IndicatorViews | None = None


logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, Any] = {}


def databank_raws() -> list[dict[str, Any]]:
    return [indicator_raw(row) for row in Indicator.objects.order_by("position", "code")]


def databank_value_rows() -> list[ValueRow]:
    return values_rows()


def catalog_checked(raws: list[dict[str, Any]]) -> IndicatorCatalog:
    """The catalogue of ``raws``; an indicator the parser refuses (a row edited outside the
    editor, or a unit since withdrawn from the vocabulary) is left out and logged, so that
    one bad row never takes every indicator page down with it."""
    try:
        return catalog_build(raws)
    except IndicatorCatalogError:
        kept = []
        for raw in raws:
            try:
                catalog_build([raw])
            except IndicatorCatalogError as error:
                logger.error(
                    "data bank: indicator %s left out of the catalogue: %s", raw["code"], error
                )
            else:
                kept.append(raw)
        return catalog_build(kept)


def databank_catalog() -> IndicatorCatalog:
    """The checked catalogue as the pure code knows it."""
    version = version_current()
    built = _cache.get("catalog")
    if built is None or built.version != version:
        built = _Built(version=version, catalog=catalog_checked(databank_raws()))
        _cache["catalog"] = built
    return built.catalog


def databank_values() -> IndicatorValues:
    return databank_views().values


def databank_views() -> IndicatorViews:
    """``IndicatorViews`` over the data bank, rebuilt only when its version changed."""
    version = version_current()
    built = _cache.get("views")
    if built is not None and built.version == version:
        return built.views
    with _lock:  # one thread rebuilds; the others wait for it rather than rebuild too
        built = _cache.get("views")
        if built is not None and built.version == version:
            return built.views
        from datasets.sdg import sdg_framework_load
        from datasets.territory import entities_cached

        catalog = databank_catalog()
        # from_rows: the same indexing as the files get (numbers, and categories of
        # categorical indicators), so the views cannot tell where the rows came from.
        views = IndicatorViews.from_rows(
            catalog=catalog,
            rows=databank_value_rows(),
            # the territory changes with its file, not with the data bank: read once per version
            entities=entities_cached(province_code=None),
            sdg=sdg_framework_load(),
        )
        _cache["views"] = _Built(version=version, catalog=catalog, views=views)
        return views


@dataclass(frozen=True)
class LastImport:
    applied_at: Any  # datetime
    file_name: str
    via: str


def databank_last_imports(views: IndicatorViews) -> dict[str, LastImport]:
    """Per indicator code, the latest import whose values the indicator still shows: read
    from the values' provenance (each block's runs of import ids), so an undone import or
    one whose values were all replaced since is not named.

    Kept with the ``views`` it is asked for (``databank_views()`` of this request): a new
    version of the data bank builds new views, so no query checks the version again.
    """
    built = _cache.get("last_imports")
    if built is not None and built[0] is views:
        return built[1]
    sources = {
        code: {source for source, _length in runs if source is not None}
        for code, runs in ValueBlock.objects.filter(count__gt=0).values_list(
            "indicator__code", "sources"
        )
    }
    records = {
        pk: LastImport(applied_at=applied, file_name=name, via=via)
        for pk, applied, name, via in Import.objects.filter(
            pk__in=set().union(*sources.values())
        ).values_list("pk", "applied_at", "file_name", "via")
    }
    latest = {}
    for code, ids in sources.items():
        known = [records[pk] for pk in ids if pk in records and records[pk].applied_at]
        if known:
            latest[code] = max(known, key=lambda record: record.applied_at)
    _cache["last_imports"] = (views, latest)
    return latest


def databank_cache_clear() -> None:
    _cache.clear()
