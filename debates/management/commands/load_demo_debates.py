from django.core.management.base import BaseCommand

from debates.demo_content import demo_debates_load, demo_logins_write


class Command(BaseCommand):
    help = "Create or refresh the demo debate space, its debates, officials and threads."

    def handle(self, *args, **options):
        debates = demo_debates_load()
        for key, debate in debates.items():
            self.stdout.write(f"debate [{key}]: {debate.url}")
        path = demo_logins_write()
        self.stdout.write(f"official logins written to {path}")
