"""Background work (django-tasks): e-mails and the metrics export leave the request.

`manage.py db_worker` runs them. django-tasks has no scheduler: a daily cron runs
`manage.py send_office_digests` and `manage.py remind_idle_requests`.
"""

from __future__ import annotations

from django_tasks import task

from concertem.office import notifications
from concertem.office.export import metrics_export


@task()
def request_notifications_task(
    request_id: int, actor_id: int | None, text: str, event: dict | None = None
) -> int:
    return notifications.request_notifications_send(
        request_id=request_id, actor_id=actor_id, text=text, event=event
    )


@task()
def metrics_export_task() -> str:
    csv_path, _schema_path = metrics_export()
    return str(csv_path)
