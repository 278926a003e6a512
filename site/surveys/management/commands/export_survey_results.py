"""`manage.py export_survey_results [--out DIR]`: aggregates + microdata of every survey."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from surveys.exports import survey_results_export
from surveys.models import SurveyPage


class Command(BaseCommand):
    help = "Write each live survey's results (aggregates, microdata, schemas) under build/"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path,
                            default=Path(settings.CONCERTEM_BUILD_DIR) / "survey_results")

    def handle(self, *args, out: Path, **options) -> None:
        # One folder per edition; the Catalan page stands for its translations.
        for survey in SurveyPage.objects.live().filter(locale__language_code="ca"):
            folder = out / f"{survey.series}-{survey.year}"
            for path in survey_results_export(survey, out_dir=folder):
                self.stdout.write(f"wrote {path}")
