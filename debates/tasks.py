"""Background work (django-tasks): announcing a new comment leaves the request.

`manage.py db_worker` runs it. The e-mails it leads to, and the daily digests, are the
notifications app's (concertem.notifications.tasks, `manage.py send_comment_digests`).
"""

from __future__ import annotations

from django_tasks import task

from debates import following


@task()
def comment_notifications_task(comment_id: int) -> list[int]:
    return following.comment_followers_notify(comment_id=comment_id)
