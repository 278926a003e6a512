"""`manage.py export_open_data`: write what lives in the database as open-data files.

The publishing pipeline (no Django) packages these files with the reference data:
debate contributions, survey results, cooperation actions, the office's metrics and its
service catalogue.
"""

from django.core.management.base import BaseCommand

from concertem.common.commands import commands_run
from datasets.catalog.exports import SITE_EXPORTS
from datasets.catalog.indicators import INDICATOR_EXPORT_COMMAND

# The data bank's export comes last: it reads the reference format, not a SiteExport's CSVs.
EXPORT_COMMANDS = (
    *(export.command_name for export in SITE_EXPORTS),
    INDICATOR_EXPORT_COMMAND,
)


class Command(BaseCommand):
    help = "Export the database-held datasets to build/ for `concertem build`."

    def handle(self, *args, **options):
        commands_run(self, EXPORT_COMMANDS, kind="export")
