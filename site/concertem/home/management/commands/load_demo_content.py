from django.core.management.base import BaseCommand

from concertem.dataportal.demo_content import portal_pages_load
from concertem.home.demo_content import DEMO_EDITOR, demo_site_load


class Command(BaseCommand):
    help = "Create or refresh the demo site: home pages in ca/es/en, content pages, an editor."

    def handle(self, *args, **options):
        homes = demo_site_load()

        portal_pages_load(homes)
        for code, home in homes.items():
            self.stdout.write(f"home page [{code}]: {home.url}")
        self.stdout.write(
            f"editor login: {DEMO_EDITOR['username']} / {DEMO_EDITOR['password']} (/admin/)"
        )
