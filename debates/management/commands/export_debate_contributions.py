from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from datasets.catalog.exports import DEBATE_CONTRIBUTIONS
from debates.export import contributions_export
from debates.models import DebatePage


class Command(BaseCommand):
    help = (
        "Export the debates' public contributions as CSV + Table Schema JSON "
        "(default directory: build/contributions/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", nargs="?", default=None)
        parser.add_argument("--debate", action="append", default=[], help="slug (repeatable)")

    def handle(self, *args, **options):
        base = Path(settings.CONCERTEM_BUILD_DIR)
        out_dir = Path(options["out_dir"] or DEBATE_CONTRIBUTIONS.folder_path(base))
        debates = None
        if options["debate"]:
            debates = list(DebatePage.objects.filter(slug__in=options["debate"]))
            missing = set(options["debate"]) - {d.slug for d in debates}
            if missing:
                raise CommandError(f"unknown debate slug(s): {', '.join(sorted(missing))}")
        csv_path, schema_path = contributions_export(out_dir=out_dir, debates=debates)
        self.stdout.write(f"wrote {csv_path} and {schema_path}")
