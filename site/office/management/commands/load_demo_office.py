"""`manage.py load_demo_office`: the office page (ca/es/en), a demo service catalogue,
territorial agents, officials and requests in every state. Idempotent."""

from django.core.management.base import BaseCommand

from home.models import HomePage
from office.demo import demo_logins_append, demo_office_load
from office.models import SupportRequest


class Command(BaseCommand):
    help = "Create or refresh the office for municipalities with demo services and requests."

    def handle(self, *args, **options) -> None:
        homes = {home.locale.language_code: home for home in HomePage.objects.filter(depth=2)}
        pages = demo_office_load(homes if {"ca", "es", "en"} <= set(homes) else None)
        self.stdout.write(f"office: {pages['ca'].url}")
        self.stdout.write(f"demo requests: {SupportRequest.objects.filter(is_demo=True).count()}")
        path = demo_logins_append()
        self.stdout.write(f"agent and official logins appended to {path}")
