"""`manage.py load_demo`: every part's demo content, in dependency order. Idempotent."""

from django.core.management.base import BaseCommand

from concertem.common.commands import commands_run

# Home and portal pages first (the others hang under them), then the debates (they
# create the officials the office and cooperation parts refer to).
DEMO_COMMANDS = (
    "databank_load",  # the indicator data bank (a no-op once the migration loaded it)
    "load_demo_content",
    "load_demo_debates",
    "load_demo_services",
    "load_demo_office",
)


class Command(BaseCommand):
    help = "Load the demo content of every part of the site."

    def handle(self, *args, **options):
        commands_run(self, DEMO_COMMANDS, kind="demo")
