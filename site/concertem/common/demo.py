"""Demo content is data: each app keeps its own in ``<app>/demo_data/*.yaml`` and its demo
loader reads it here, then creates the pages and rows through the app's services."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@lru_cache(maxsize=32)
def demo_data_load(app_file: str, name: str) -> Any:
    """``demo_data/<name>.yaml`` beside ``app_file`` (pass the loader's ``__file__``)."""
    path = Path(app_file).resolve().parent / "demo_data" / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
