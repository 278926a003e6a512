"""Seed the indicator system from the territory reference tables, reproducibly.

    python -m datasets.indicators.build [--scope province|spain] [--province 08]

Writes, in ``datasets/reference/``:

* ``indicators.csv`` and ``indicator_sdg_targets.csv``: the catalogue (``indicators.toml``)
  flattened for publishing, one row per indicator and one per indicator-target pair;
* ``indicator_categories.csv`` and ``indicator_dimension_values.csv``: the labels (ca/es/en)
  and declared order of every category and every declared breakdown value, one row each;
* ``indicator_values.csv``: every year of every catalogue indicator that names a
  ``seed_variable``, taken from ``variables.csv`` (built by ``python -m datasets.reference_build``),
  then the publisher files of ``VISOR_FILES`` (the Diputació's Visor 2030, in
  ``reference/visor2030/``) imported as ``concertem indicators import`` does, no mapping.

The committed values cover the province of Barcelona (311 municipalities). ``--scope spain``
builds all ~8,100 municipalities (about 290,000 rows, 12 MB) for publishing elsewhere.
Values imported later with ``concertem indicators import`` are kept: the seed is upserted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from datasets.indicators.catalog import (
    CATALOG_HEADER,
    TARGET_LINK_HEADER,
    IndicatorCatalog,
    indicator_catalog_load,
    indicator_catalog_rows,
    indicator_target_rows,
)
from datasets.indicators.errors import IndicatorCatalogError
from datasets.indicators.label_tables import (
    CATEGORIES_HEADER,
    DIMENSION_VALUES_HEADER,
    indicator_category_rows,
    indicator_dimension_value_rows,
)
from datasets.indicators.values import (
    TOTAL,
    VALUES_PATH,
    ValueRow,
    value_text,
    values_rows_merge,
    values_rows_read,
    values_rows_write,
)
from datasets.table_io import table_write
from datasets.territory import entities_load, variables_load

REFERENCE_DIR = VALUES_PATH.parent
VISOR_DIR = REFERENCE_DIR / "visor2030"
# (file in VISOR_DIR, the publisher's code the catalogue records for it)
VISOR_FILES: tuple[tuple[str, str], ...] = (
    ("1.2.3_HISTORIC.csv", "1.2.3"),
    ("2.1.1_HISTORIC.csv", "2.1.1"),
    ("5.5.1_HISTORIC.csv", "5.5.1"),
    ("9.5.1.csv", "9.5.1"),
    ("13.2.2.csv", "13.2.2"),
    ("14.2.1.csv", "14.2.1"),
    ("15.1.1.csv", "15.1.1"),
    ("16.7.2_HISTORIC.csv", "16.7.2"),
    ("16.10.1_HISTORIC.csv", "16.10.1"),
)


@dataclass(frozen=True, slots=True)
class IndicatorsBuildResult:
    indicators: int
    seeded: tuple[str, ...]
    entities: int
    value_rows: int
    values_path: Path
    bytes: int


def indicator_seed_rows(
    *, catalog: IndicatorCatalog, entity_codes: set[str], variables_path: Path | None = None
) -> list[ValueRow]:
    """Value rows for every catalogue indicator with a ``seed_variable``, for ``entity_codes``."""
    seeded = [i for i in catalog if i.seed_variable]
    table = variables_load(
        variables=[i.seed_variable for i in seeded],
        entity_codes=entity_codes,
        path=variables_path,
    )
    rows: list[ValueRow] = []
    problems: list[str] = []
    for indicator in seeded:
        years = table.years_of(indicator.seed_variable)
        if not years:
            problems.append(f"{indicator.code}: variable {indicator.seed_variable!r} has no data")
        for year in years:
            series = table.series_get(variable=indicator.seed_variable, year=year)
            for entity_code, value in series.items():
                number = float(value)
                low, high = indicator.value_min, indicator.value_max
                if (low is not None and number < low) or (high is not None and number > high):
                    problems.append(f"{indicator.code} {entity_code} {year}: {value} out of range")
                rows.append(
                    (indicator.code, entity_code, str(year), TOTAL, value_text(number), "final")
                )
    if problems:
        raise IndicatorCatalogError(
            "seed data does not fit the catalogue: " + "; ".join(problems[:20]), problems=problems
        )
    return rows


def indicators_build(
    *,
    reference_dir: Path = REFERENCE_DIR,
    province_code: str | None = "08",
    variables_path: Path | None = None,
) -> IndicatorsBuildResult:
    catalog = indicator_catalog_load(path=reference_dir / "indicators.toml")
    table_write(
        path=reference_dir / "indicators.csv",
        header=CATALOG_HEADER,
        rows=indicator_catalog_rows(catalog),
    )
    table_write(
        path=reference_dir / "indicator_sdg_targets.csv",
        header=TARGET_LINK_HEADER,
        rows=indicator_target_rows(catalog),
    )
    table_write(
        path=reference_dir / "indicator_categories.csv",
        header=CATEGORIES_HEADER,
        rows=indicator_category_rows(catalog),
    )
    table_write(
        path=reference_dir / "indicator_dimension_values.csv",
        header=DIMENSION_VALUES_HEADER,
        rows=indicator_dimension_value_rows(catalog),
    )
    entity_codes = {e.entity_code for e in entities_load(province_code=province_code)}
    seed = indicator_seed_rows(
        catalog=catalog, entity_codes=entity_codes, variables_path=variables_path
    )
    values_path = reference_dir / "indicator_values.csv"
    # Keep rows added by imports; drop rows of indicators no longer in the catalogue.
    existing = [row for row in values_rows_read(path=values_path) if row[0] in catalog]
    merged, _ = values_rows_merge(existing, seed)
    count = values_rows_write(path=values_path, rows=merged)
    visor_dir = reference_dir / VISOR_DIR.name
    if visor_dir.is_dir():
        from datasets.indicators.importer import indicator_file_import

        for name, publisher_code in VISOR_FILES:
            indicator_file_import(
                path=visor_dir / name,
                indicator_code=publisher_code,
                values_path=values_path,
                catalog=catalog,
            )
        count = len(values_rows_read(path=values_path))
    return IndicatorsBuildResult(
        indicators=len(catalog),
        seeded=tuple(i.code for i in catalog if i.seed_variable),
        entities=len(entity_codes),
        value_rows=count,
        values_path=values_path,
        bytes=values_path.stat().st_size,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datasets.indicators.build",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scope", choices=("province", "spain"), default="province")
    parser.add_argument("--province", default="08", help="INE province code (default 08)")
    parser.add_argument("--reference-dir", type=Path, default=REFERENCE_DIR)
    args = parser.parse_args(argv)
    result = indicators_build(
        reference_dir=args.reference_dir,
        province_code=None if args.scope == "spain" else args.province,
    )
    print(
        f"{result.indicators} indicators ({', '.join(result.seeded)} seeded) for "
        f"{result.entities} entities: {result.value_rows} value rows, "
        f"{result.bytes / 1e6:.1f} MB in {result.values_path}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
