from django_tasks import task

from concertem.dataportal.publish_services import publish_run_execute


@task()
def publish_run_task(run_id: int) -> str:
    return publish_run_execute(run_id=run_id).status
