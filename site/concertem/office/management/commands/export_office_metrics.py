from pathlib import Path

from django.core.management.base import BaseCommand

from concertem.office.export import export_dir, metrics_export


class Command(BaseCommand):
    help = (
        "Export the office's service metrics as CSV + Table Schema (default directory: "
        "build/office/), where the open-data catalogue's office-metrics dataset reads them."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", nargs="?", default=None)

    def handle(self, *args, **options):
        out_dir = Path(options["out_dir"]) if options["out_dir"] else export_dir()
        csv_path, schema_path = metrics_export(out_dir=out_dir)
        self.stdout.write(f"wrote {csv_path} and {schema_path}")
