"""The daily digest commands (``send_comment_digests``, ``send_office_digests``): send the
digest now, or with ``--enqueue`` queue its task for ``manage.py db_worker``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand


class DigestCommand(BaseCommand):
    """A digest command is its help, its task and its send function; the rest is here."""

    def digest_task(self) -> Any:
        """The django-tasks task that sends this digest in the background."""
        raise NotImplementedError

    def digest_sender(self) -> Callable[[], int]:
        """The function that sends this digest now and returns how many e-mails it sent."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for the db_worker instead"
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = self.digest_task().enqueue()
            self.stdout.write(f"digest task queued: {result.id}")
            return
        sent = self.digest_sender()()
        self.stdout.write(f"{sent} digest e-mail(s) sent")
