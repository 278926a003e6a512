"""`manage.py load_demo_office`: the office page (ca/es/en), a demo service catalogue,
territorial agents, officials and requests in every state. Idempotent."""

from django.core.management.base import BaseCommand

from concertem.home.demo_content import demo_homes_get
from concertem.office.demo import demo_logins_append, demo_office_load
from concertem.office.models import SupportRequest


class Command(BaseCommand):
    help = "Create or refresh the office for municipalities with demo services and requests."

    def handle(self, *args, **options) -> None:
        pages = demo_office_load(demo_homes_get())
        self.stdout.write(f"office: {pages['ca'].url}")
        self.stdout.write(f"demo requests: {SupportRequest.objects.filter(is_demo=True).count()}")
        path = demo_logins_append()
        self.stdout.write(f"agent and official logins appended to {path}")
