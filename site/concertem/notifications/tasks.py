"""Background work (django-tasks): the daily digests, queued by their commands'
``--enqueue`` for `manage.py db_worker` (a daily cron runs the commands)."""

from __future__ import annotations

from django_tasks import task

from concertem.notifications import debate_emails, office_emails


@task()
def comment_digests_task() -> int:
    return debate_emails.comment_digests_send()


@task()
def office_digests_task() -> int:
    return office_emails.office_digests_send()
