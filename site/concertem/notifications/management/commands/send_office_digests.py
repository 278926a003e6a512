from concertem.notifications import tasks
from concertem.notifications.management.digest_command import DigestCommand
from concertem.notifications.office_emails import office_digests_send


class Command(DigestCommand):
    help = (
        "Send the daily digest of support-request changes to those who chose it "
        "(run daily, e.g. cron)."
    )

    def digest_task(self):
        return tasks.office_digests_task

    def digest_sender(self):
        return office_digests_send
