from pathlib import Path

from django.core.management.base import BaseCommand

from concertem.office.export import export_dir
from concertem.office.services_export import services_export


class Command(BaseCommand):
    help = (
        "Export the office's service catalogue (services and areas, in ca/es/en) as CSV "
        "(default directory: build/office/), where the open-data catalogue's "
        "office-services dataset reads it."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", nargs="?", default=None)

    def handle(self, *args, **options):
        out_dir = Path(options["out_dir"]) if options["out_dir"] else export_dir()
        services_path, areas_path = services_export(out_dir=out_dir)
        self.stdout.write(f"wrote {services_path} and {areas_path}")
