"""Background tasks of mail: thin, by id, repeatable (django-tasks)."""

from django_tasks import task

from sitrep.mail.outbox import message_send


@task()
def send_message(message_id: int) -> dict:
    return {"message": message_id, "result": message_send(message_id)}


@task()
def dispatch_task(key: str) -> dict:
    from sitrep.mail.dispatch import dispatch_run

    return {"dispatch": key, **dispatch_run(key)}
