from django.core.management.base import BaseCommand

from concertem.office.notifications import idle_requests_remind
from concertem.office.rules import idle_days


class Command(BaseCommand):
    help = (
        "Remind whoever holds the ball on support requests idle for more than "
        "OFFICE_IDLE_REMINDER_DAYS days (run daily, e.g. cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="idle days (default: the OFFICE_IDLE_REMINDER_DAYS setting)",
        )

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else idle_days()
        sent = idle_requests_remind(days=days)
        self.stdout.write(f"{sent} reminder e-mail(s) sent (idle for {days}+ days)")
