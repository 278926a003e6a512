from concertem.notifications import tasks
from concertem.notifications.debate_emails import comment_digests_send
from concertem.notifications.management.digest_command import DigestCommand


class Command(DigestCommand):
    help = "Send the daily digest of new comments to those who chose it (run daily, e.g. cron)."

    def digest_task(self):
        return tasks.comment_digests_task

    def digest_sender(self):
        return comment_digests_send
