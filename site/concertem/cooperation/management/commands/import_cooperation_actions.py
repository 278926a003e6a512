"""`manage.py import_cooperation_actions FILE [--dry-run]`: all or nothing, row-level errors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concertem.cooperation.services import actions_import
from datasets.execution.actions import ActionImportError
from datasets.issues import issue_format


class Command(BaseCommand):
    help = "Import cooperation actions from a CSV (see datasets/execution/actions.py)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            result = actions_import(file, dry_run=dry_run)
        except ActionImportError as error:
            for issue in error.issues:
                self.stderr.write(issue_format(issue))
            if error.more:
                self.stderr.write(f"{file.name}: ... and {error.more} more")
            raise CommandError(str(error)) from error
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {result.rows} actions from {result.file}: {result.created} "
            f"new, {result.updated} updated"
        )
