"""`manage.py export_cooperation_actions [--out DIR]`: CSVs + Table Schemas for publishing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from concertem.cooperation.selectors import records_for_export
from datasets.catalog.exports import COOPERATION_ACTIONS
from datasets.execution.export import actions_export


class Command(BaseCommand):
    help = "Write cooperation_actions.csv, its milestones and schemas to build/cooperation_actions/"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=COOPERATION_ACTIONS.folder_path(Path(settings.CONCERTEM_BUILD_DIR)),
        )

    def handle(self, *args, out: Path, **options) -> None:
        for path in actions_export(records_for_export(), out_dir=out):
            self.stdout.write(f"wrote {path}")
