"""Background work (django-tasks): notifications leave the request, digests run daily.

`manage.py db_worker` runs them; a daily cron runs `manage.py send_comment_digests`
(django-tasks has no scheduler of its own).
"""

from __future__ import annotations

from django_tasks import task

from debates import following


@task()
def comment_notifications_task(comment_id: int) -> int:
    return following.comment_notifications_send(comment_id=comment_id)


@task()
def comment_digests_task() -> int:
    return following.comment_digests_send()
