from django.core.management.base import BaseCommand

from concertem.notifications import tasks
from concertem.notifications.debate_emails import comment_digests_send


class Command(BaseCommand):
    help = "Send the daily digest of new comments to those who chose it (run daily, e.g. cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for the db_worker instead"
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = tasks.comment_digests_task.enqueue()
            self.stdout.write(f"digest task queued: {result.id}")
            return
        sent = comment_digests_send()
        self.stdout.write(f"{sent} digest e-mail(s) sent")
