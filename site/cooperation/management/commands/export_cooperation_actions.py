"""`manage.py export_cooperation_actions [--out DIR]`: CSVs + Table Schemas for publishing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cooperation.selectors import records_for_export
from datasets.execution.export import actions_export


class Command(BaseCommand):
    help = "Write cooperation_actions.csv, its milestones and schemas to build/cooperation_actions/"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out", type=Path, default=Path(settings.CONCERTEM_BUILD_DIR) / "cooperation_actions"
        )

    def handle(self, *args, out: Path, **options) -> None:
        for path in actions_export(records_for_export(), out_dir=out):
            self.stdout.write(f"wrote {path}")
