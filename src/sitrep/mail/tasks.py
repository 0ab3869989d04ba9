"""Background tasks of mail: thin, by id, repeatable (django-tasks)."""

from django_tasks import task

from sitrep.mail.outbox import message_send


@task()
def send_message(message_id: int) -> dict:
    return {"message": message_id, "result": message_send(message_id)}
