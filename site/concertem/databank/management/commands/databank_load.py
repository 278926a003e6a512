"""`manage.py databank_load`: load the committed reference files into the data bank.

Idempotent: what is missing is created; indicators edited and values imported since are kept.
The first migration already loads them; this is for a database created before the data bank
or a reference file that grew (new indicators, new values).
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from concertem.databank.services import CATALOG_FILE, reference_load
from datasets.indicators.values import VALUES_PATH


class Command(BaseCommand):
    help = "Load datasets/reference/indicators.toml and indicator_values.csv into the data bank"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--catalog", type=Path, default=CATALOG_FILE)
        parser.add_argument("--values", type=Path, default=VALUES_PATH)

    def handle(self, *args, catalog: Path, values: Path, **options) -> None:
        counts = reference_load(catalog_path=catalog, values_path=values)
        self.stdout.write(
            f"data bank: {counts.indicators_created} indicator(s) created, "
            f"{counts.values_added} value(s) added"
        )
