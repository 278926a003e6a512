"""`manage.py load_demo_services`: facility map, demo survey and demo cooperation actions.

Idempotent. Run after `load_demo_content` (it needs the home pages; it creates them if not).
"""

from django.core.management.base import BaseCommand

from concertem.cooperation.demo import DEMO_OFFICIAL, demo_cooperation_load
from concertem.facilities.demo import demo_facilities_load
from concertem.home.demo_content import demo_homes_get
from concertem.surveys.demo import demo_surveys_load


class Command(BaseCommand):
    help = "Load the facility map, a demo survey with generated answers and demo actions."

    def handle(self, *args, **options) -> None:
        homes = demo_homes_get()
        facilities = demo_facilities_load(homes)
        surveys = demo_surveys_load(homes)
        cooperation = demo_cooperation_load(homes)
        self.stdout.write(f"facility map: {facilities['ca'].url}")
        self.stdout.write(f"survey (demo answers): {surveys['ca'].url}")
        self.stdout.write(f"cooperation actions (demo): {cooperation['ca'].url}")
        self.stdout.write(
            f"demo official: {DEMO_OFFICIAL['username']} / {DEMO_OFFICIAL['password']}"
        )
