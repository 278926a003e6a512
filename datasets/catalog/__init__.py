"""The catalogue: every dataset the project publishes, described once, in ca/es/en.

A ``DatasetSpec`` (``types``) says what a dataset is and where each of its resources comes
from. ``datasets.packaging`` turns a spec into a frictionless Data Package,
``datasets.validation`` checks it, and ``publishing`` pushes it to CKAN; none of them knows
any dataset by name. The package's modules:

- ``paths``: where things are, and the one ``build_dir()``;
- ``blocks``, ``types``: the spec types; ``facts``: publisher, province, licences, sources;
- ``exports``: the datasets the site keeps in its database (folder, files, command),
  shared by the site's exporters and the specs that read them back;
- one module per dataset (``territory``, ``allocations``, ``facilities``...);
- ``registry``: ``catalog_specs()``, every dataset in publishing order. Adding a dataset
  is adding one module and one line there.

Nothing here reads data at import time: producers are functions, called at build time.
Outside ``datasets``, ``from datasets.catalog import X`` is the public way in; the names
load on first use (so ``datasets.catalog.paths`` stays cheap to import, as the site's
settings do). Inside ``datasets``, import from the module that defines the name.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module of this package that defines it.
_PUBLIC: dict[str, str] = {
    # datasets.catalog.paths
    "DATASETS_DIR": "paths",
    "FORMULAS_DIR": "paths",
    "REFERENCE_DIR": "paths",
    "REPO_DIR": "paths",
    "SCHEMAS_DIR": "paths",
    "SOURCES_DIR": "paths",
    "build_dir": "paths",
    "reference_path": "paths",
    "schema_path": "paths",
    # datasets.catalog.blocks
    "LANGUAGES": "blocks",
    "CatalogError": "blocks",
    "CatalogSourceMissingError": "blocks",
    "CatalogUnknownDatasetError": "blocks",
    "Licence": "blocks",
    "Publisher": "blocks",
    "Source": "blocks",
    "Spatial": "blocks",
    "Text": "blocks",
    "text": "blocks",
    # datasets.catalog.facts
    "AGPL_3_0": "facts",
    "CC_BY_4_0": "facts",
    "DIBA": "facts",
    "MIT": "facts",
    "PROVINCE_BARCELONA": "facts",
    "PROVINCE_CODE": "facts",
    "SOURCE_CONCERTEM": "facts",
    "SOURCE_GENCAT": "facts",
    "SOURCE_INE_ATLAS": "facts",
    "SOURCE_INE_CODES": "facts",
    "SOURCE_OPEN_SDG": "facts",
    "SOURCE_VISOR": "facts",
    # datasets.catalog.types
    "Check": "types",
    "csv_table": "types",
    "DatasetSpec": "types",
    "ResourceSpec": "types",
    "Table": "types",
    # datasets.catalog.exports
    "SITE_EXPORTS": "exports",
    "exported_table_read": "exports",
    "schema_header": "exports",
    "SiteExport": "exports",
    # datasets.catalog.registry
    "catalog_select": "registry",
    "catalog_specs": "registry",
    # datasets.catalog.territory
    "territory_spec": "territory",
    # datasets.catalog.variables
    "VARIABLES_CATALOG_SCHEMA": "variables",
    "variables_spec": "variables",
    # datasets.catalog.sdg
    "sdg_spec": "sdg",
    # datasets.catalog.indicators
    "indicators_spec": "indicators",
    # datasets.catalog.allocations
    "allocation_spec": "allocations",
    # datasets.catalog.debate_contributions
    "CONTRIBUTIONS_CSV": "debate_contributions",
    "CONTRIBUTIONS_EXPORT_COMMAND": "debate_contributions",
    "CONTRIBUTIONS_SCHEMA": "debate_contributions",
    "SOURCE_DEBATES": "debate_contributions",
    "contributions_export_paths": "debate_contributions",
    "debate_contributions_spec": "debate_contributions",
    # datasets.catalog.facilities
    "facilities_spec": "facilities",
    # datasets.catalog.cooperation_actions
    "cooperation_actions_spec": "cooperation_actions",
    # datasets.catalog.survey_results
    "survey_results_spec": "survey_results",
    # datasets.catalog.office_metrics
    "OFFICE_METRICS_CSV": "office_metrics",
    "OFFICE_METRICS_SCHEMA": "office_metrics",
    "OFFICE_METRICS_SCHEMA_NAME": "office_metrics",
    "office_metrics_path": "office_metrics",
    "office_metrics_spec": "office_metrics",
    # datasets.catalog.office_services
    "office_services_spec": "office_services",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
