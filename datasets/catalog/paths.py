"""Where the project's files are: the one place that resolves a folder.

``build_dir()`` is the build folder: where the CLI writes the Data Packages and reports,
and where the site writes its database exports, which the catalogue reads back. It is
``$CONCERTEM_BUILD_DIR`` when set (the site's settings, the tests and a deployment set it),
else ``build/`` at the repository root; read at call time, so a changed environment is
seen without re-importing anything.
"""

from __future__ import annotations

import os
from pathlib import Path

DATASETS_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = DATASETS_DIR.parent
REFERENCE_DIR = DATASETS_DIR / "reference"
SCHEMAS_DIR = DATASETS_DIR / "schemas"
FORMULAS_DIR = DATASETS_DIR / "formulas"
SOURCES_DIR = DATASETS_DIR / "sources"


def build_dir() -> Path:
    """The build folder: ``$CONCERTEM_BUILD_DIR``, else ``build/`` in the repository."""
    return Path(os.environ.get("CONCERTEM_BUILD_DIR") or REPO_DIR / "build")


def schema_path(name: str) -> Path:
    """A committed Table Schema, by name (``entities`` -> ``datasets/schemas/entities.json``)."""
    return SCHEMAS_DIR / f"{name}.json"


def reference_path(name: str) -> Path:
    """A committed reference file, by file name."""
    return REFERENCE_DIR / name
