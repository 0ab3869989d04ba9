"""Background tasks of the fediverse: thin, by id, repeatable (django-tasks). Deliveries run on
the "federation" queue, which the worker serves with runners of its own."""

from django_tasks import task

from sitrep.fediverse import delivery, inbox, profile, publish


@task(queue_name="federation")
def deliver_task(delivery_ids: list[int]) -> dict:
    return delivery.deliver(delivery_ids)


@task()
def receive_task(received_id: int) -> dict:
    return {"received": received_id, "outcome": inbox.process(received_id)}


@task()
def post_sync_task(post_id: int) -> dict:
    return {"post": post_id, "sent": publish.post_sync(post_id)}


@task()
def comment_sync_task(comment_id: int) -> dict:
    return {"comment": comment_id, "sent": publish.comment_sync(comment_id)}


@task()
def profile_links_task() -> dict:
    return {"links": profile.profile_links_check()}
