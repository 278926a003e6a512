"""The datasets the site keeps in its database, declared once.

The site (Django) writes each of them, with a management command, into a folder of the
build folder; the catalogue reads those files back at build time, so ``datasets`` stays
free of Django. Both sides take the folder, the file names and the command from here:
the site's exporters and ``export_open_data`` (which runs every command below), and the
catalogue's specs and the version ledger (``datasets.versioning.SITE_DATASETS``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.catalog.blocks import CatalogError, CatalogSourceMissingError
from datasets.catalog.paths import build_dir
from datasets.catalog.types import Table


@dataclass(frozen=True)
class SiteExport:
    dataset: str  # the catalogue's dataset name
    folder: str  # under the build folder
    csv_files: tuple[str, ...]
    schema_files: tuple[str, ...]  # Table Schemas the export writes beside its CSVs
    command_name: str  # the site's management command that writes the folder

    @property
    def command(self) -> str:
        """The command line, as error messages tell people to run it."""
        return f"python site/manage.py {self.command_name}"

    def folder_path(self, base: Path | None = None) -> Path:
        """The export's folder under ``base`` (the site's setting), else under ``build_dir()``."""
        return (build_dir() if base is None else base) / self.folder

    def path(self, file_name: str) -> Path:
        return self.folder_path() / file_name

    def table_read(self, file_name: str, header: tuple[str, ...]) -> Table:
        return exported_table_read(
            path=self.path(file_name), header=header, dataset=self.dataset, command=self.command
        )


DEBATE_CONTRIBUTIONS = SiteExport(
    dataset="debate-contributions",
    folder="contributions",
    csv_files=("debate_contributions.csv",),
    schema_files=("debate_contributions.schema.json",),
    command_name="export_debate_contributions",
)
SURVEY_RESULTS = SiteExport(
    dataset="survey-results",
    folder="survey_results",
    csv_files=("survey_results_aggregates.csv", "survey_results_microdata.csv"),
    schema_files=(
        "survey_results_aggregates.schema.json",
        "survey_results_microdata.schema.json",
    ),
    command_name="export_survey_results",
)
COOPERATION_ACTIONS = SiteExport(
    dataset="cooperation-actions",
    folder="cooperation_actions",
    csv_files=("cooperation_actions.csv", "cooperation_action_milestones.csv"),
    schema_files=(
        "cooperation_actions.schema.json",
        "cooperation_action_milestones.schema.json",
    ),
    command_name="export_cooperation_actions",
)
OFFICE_METRICS = SiteExport(
    dataset="office-metrics",
    folder="office",
    csv_files=("office_metrics.csv",),
    schema_files=("office_metrics.schema.json",),
    command_name="export_office_metrics",
)
OFFICE_SERVICES = SiteExport(
    dataset="office-services",
    folder="office",
    csv_files=("office_services.csv", "office_areas.csv"),
    schema_files=(),
    command_name="export_office_services",
)
# In the order `export_open_data` runs them.
SITE_EXPORTS = (
    DEBATE_CONTRIBUTIONS,
    SURVEY_RESULTS,
    COOPERATION_ACTIONS,
    OFFICE_METRICS,
    OFFICE_SERVICES,
)


def schema_header(schema: Path | Mapping[str, Any]) -> tuple[str, ...]:
    """The column names a Table Schema (a file or a mapping) declares, in order."""
    if isinstance(schema, Path):
        schema = json.loads(schema.read_text(encoding="utf-8"))
    return tuple(field["name"] for field in schema["fields"])


def exported_table_read(
    *, path: Path, header: tuple[str, ...], dataset: str, command: str
) -> Table:
    """Rows of a CSV that the site exports from its database (debates, survey, office...).

    A missing export is refused, never read as an empty table: publishing an empty table
    would replace the real data on the portal with nothing.
    """
    if not path.is_file():
        raise CatalogSourceMissingError(
            f"{path} not found: it is exported from the site's database; run `{command}`, "
            "then build again. The other datasets are not affected.",
            dataset=dataset,
            paths=[str(path)],
        )
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in header if name not in (reader.fieldnames or ())]
        if missing:
            raise CatalogError(f"{path}: columns missing: {', '.join(missing)}", dataset=dataset)
        rows = [[row[name] for name in header] for row in reader]
    return Table(header=header, rows=rows)
