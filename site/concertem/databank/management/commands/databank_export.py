"""`manage.py databank_export [--out DIR]`: the data bank as the reference files.

Writes indicators.toml and indicator_values.csv in the committed format: with nothing changed
since the load they are byte for byte the committed files, so `git diff` after an export shows
exactly what editors changed. `export_open_data` runs it into build/indicators/, where the
Data Package build reads the indicator dataset from.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from concertem.databank.exports import databank_files_write
from datasets.catalog.indicators import INDICATOR_EXPORT_FOLDER


class Command(BaseCommand):
    help = "Write the data bank's catalogue and values as indicators.toml + indicator_values.csv"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out", type=Path, default=Path(settings.CONCERTEM_BUILD_DIR) / INDICATOR_EXPORT_FOLDER
        )

    def handle(self, *args, out: Path, **options) -> None:
        for path in databank_files_write(out_dir=out):
            self.stdout.write(f"wrote {path}")
