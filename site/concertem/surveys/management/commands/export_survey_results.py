"""`manage.py export_survey_results [--out DIR]`: every edition's aggregates + microdata."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from concertem.surveys.exports import survey_results_export
from concertem.surveys.models import SurveyPage
from datasets.catalog.exports import SURVEY_RESULTS


class Command(BaseCommand):
    help = "Write each live survey's results (aggregates, microdata, schemas) under build/"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=SURVEY_RESULTS.folder_path(Path(settings.CONCERTEM_BUILD_DIR)),
        )

    def handle(self, *args, out: Path, **options) -> None:
        # The Catalan page stands for its translations (they share the answers).
        surveys = list(SurveyPage.objects.live().filter(locale__language_code="ca"))
        for path in survey_results_export(surveys, out_dir=out):
            self.stdout.write(f"wrote {path}")
