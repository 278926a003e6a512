"""The ``debate-contributions`` dataset: exported by the site, published here.

The debates app (Django) writes its public contributions, a CSV and its Table Schema, with
``export_debate_contributions`` into the build folder (``exports.DEBATE_CONTRIBUTIONS``).
This package only reads that export back, so it stays free of Django. The file names are
the export's declaration; a test keeps debates/export.py in step with them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasets.catalog.blocks import CatalogError, CatalogSourceMissingError, Source, text
from datasets.catalog.exports import DEBATE_CONTRIBUTIONS
from datasets.catalog.facts import CC_BY_4_0
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec

CONTRIBUTIONS_CSV = DEBATE_CONTRIBUTIONS.csv_files[0]
CONTRIBUTIONS_SCHEMA = DEBATE_CONTRIBUTIONS.schema_files[0]
CONTRIBUTIONS_EXPORT_COMMAND = DEBATE_CONTRIBUTIONS.command

SOURCE_DEBATES = Source(
    title="Concertem en xarxa: debate spaces of the local entities (this project's site)",
    url="https://www.diba.cat",
    licence="CC-BY-4.0",
    attribution="Officials of the local entities of the province of Barcelona, in the "
    "Concertem debate spaces; compiled by the Diputació de Barcelona",
    title_ca="Concertem en xarxa: espais de debat dels ens locals (el web d'aquest projecte)",
    title_es=(
        "Concertem en xarxa: espacios de debate de los entes locales (el sitio de este proyecto)"
    ),
    attribution_ca="Càrrecs dels ens locals de la província de Barcelona, als espais de debat de "
    "Concertem; recopilat per la Diputació de Barcelona",
    attribution_es="Cargos de los entes locales de la provincia de Barcelona, en los espacios de "
    "debate de Concertem; recopilado por la Diputació de Barcelona",
)


def contributions_export_paths() -> tuple[Path, Path]:
    directory = DEBATE_CONTRIBUTIONS.folder_path()
    return directory / CONTRIBUTIONS_CSV, directory / CONTRIBUTIONS_SCHEMA


def _contributions_export(which: int) -> Path:
    """One file of the export; a missing export says how to produce it."""
    paths = contributions_export_paths()
    missing = [path for path in paths if not path.is_file()]
    if missing:
        raise CatalogSourceMissingError(
            f"{' and '.join(str(path) for path in missing)} not found: the debates app "
            f"exports the contributions; run `{CONTRIBUTIONS_EXPORT_COMMAND}` (it writes the "
            f"CSV and its Table Schema to {paths[0].parent}/; `python site/manage.py "
            "export_open_data` exports every database-held dataset), then build again. The "
            "other datasets are not affected.",
            dataset="debate-contributions",
            paths=[str(path) for path in missing],
        )
    return paths[which]


def _contributions_schema() -> dict[str, Any]:
    path = _contributions_export(1)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CatalogError(
            f"{path}: not a Table Schema ({error}); export it again with "
            f"`{CONTRIBUTIONS_EXPORT_COMMAND}`",
            dataset="debate-contributions",
        ) from error


def debate_contributions_spec() -> DatasetSpec:
    csv_path, schema_file = contributions_export_paths()
    return DatasetSpec(
        name="debate-contributions",
        title=text(
            "Aportacions als debats dels ens locals",
            "Aportaciones a los debates de los entes locales",
            "Contributions to the debates of the local entities",
        ),
        description=text(
            "Les aportacions públiques dels càrrecs electes i tècnics dels ens locals als "
            "espais de debat de Concertem en xarxa: debat, ens local (codi INE), càrrec, data, "
            "fil de respostes i text. Sense dades personals: ni noms, ni adreces electròniques, "
            "ni adreces IP; l'ens i el càrrec donen compte de cada aportació. Una aportació "
            "amagada per moderació hi és sense el text, perquè les respostes no quedin òrfenes.",
            "Las aportaciones públicas de los cargos electos y técnicos de los entes locales a "
            "los espacios de debate de Concertem en xarxa: debate, ente local (código INE), "
            "cargo, fecha, hilo de respuestas y texto. Sin datos personales: ni nombres, ni "
            "direcciones de correo electrónico, ni direcciones IP; el ente y el cargo dan "
            "cuenta de cada aportación. Una aportación ocultada por moderación figura sin el "
            "texto, para que las respuestas no queden huérfanas.",
            "The public contributions of elected officials and technical staff of the local "
            "entities to the Concertem en xarxa debate spaces: debate, local entity (INE "
            "code), role, date, reply thread and text. No personal data: no names, e-mail "
            "addresses or IP addresses; the entity and the role carry the accountability. A "
            "contribution hidden by moderation is listed without its text, so that replies "
            "keep their parent.",
        ),
        keywords={
            "ca": ("debats", "participació", "ens locals", "cooperació local"),
            "es": ("debates", "participación", "entes locales", "cooperación local"),
            "en": ("debates", "participation", "local entities", "local cooperation"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_DEBATES,),
        # The debates are about the General Investment Programme 2024-2027.
        temporal=("2024-01-01", "2027-12-31"),
        frequency="IRREG",
        themes=("GOVE",),
        resources=(
            ResourceSpec(
                name="debate_contributions",
                path=f"data/{CONTRIBUTIONS_CSV}",
                title=text("Aportacions", "Aportaciones", "Contributions"),
                description=text(
                    "Una fila per aportació; `parent_id` és l'aportació a la qual respon.",
                    "Una fila por aportación; `parent_id` es la aportación a la que responde.",
                    "One row per contribution; `parent_id` is the one it replies to.",
                ),
                file=lambda: _contributions_export(0),
                schema=_contributions_schema,
                inputs=(csv_path, schema_file),
            ),
        ),
        checks=(
            Check("entity-code-exists", resource="debate_contributions", field="entity_code"),
            # The text is free: an official may have typed an e-mail address into it.
            Check("no-personal-data", resource="debate_contributions"),
        ),
    )
