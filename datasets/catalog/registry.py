"""The catalogue: every dataset, in publishing order, and the selection of some by name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from datasets.catalog.allocations import allocation_spec
from datasets.catalog.blocks import CatalogUnknownDatasetError
from datasets.catalog.cooperation_actions import cooperation_actions_spec
from datasets.catalog.debate_contributions import debate_contributions_spec
from datasets.catalog.facilities import facilities_spec
from datasets.catalog.indicators import indicators_spec
from datasets.catalog.office_metrics import office_metrics_spec
from datasets.catalog.office_services import office_services_spec
from datasets.catalog.paths import FORMULAS_DIR
from datasets.catalog.sdg import sdg_spec
from datasets.catalog.survey_results import survey_results_spec
from datasets.catalog.territory import territory_spec
from datasets.catalog.types import DatasetSpec
from datasets.catalog.variables import variables_spec


def catalog_specs(*, formulas_dir: Path = FORMULAS_DIR) -> tuple[DatasetSpec, ...]:
    """Every dataset of the catalogue, in publishing order (references first)."""
    specs = [
        territory_spec(),
        variables_spec(),
        sdg_spec(),
        indicators_spec(),
        debate_contributions_spec(),
    ]
    specs += [allocation_spec(path) for path in sorted(formulas_dir.glob("*.toml"))]
    specs += [facilities_spec(), cooperation_actions_spec(), survey_results_spec()]
    specs += [office_metrics_spec(), office_services_spec()]
    return tuple(specs)


def catalog_select(
    specs: Sequence[DatasetSpec], only: Iterable[str] | None = None
) -> tuple[DatasetSpec, ...]:
    """The specs named in ``only`` (all when None), in catalogue order."""
    if only is None:
        return tuple(specs)
    wanted = list(dict.fromkeys(only))
    known = {spec.name for spec in specs}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise CatalogUnknownDatasetError(
            f"unknown dataset {', '.join(unknown)}; the catalogue has: {', '.join(sorted(known))}",
            names=unknown,
        )
    return tuple(spec for spec in specs if spec.name in wanted)
