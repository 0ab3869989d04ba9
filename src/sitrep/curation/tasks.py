"""Background tasks: thin, by id, repeatable (django-tasks)."""

from django_tasks import task

from sitrep.curation.models import Feed
from sitrep.curation.polling import feed_poll


@task()
def poll_feed(feed_id: int) -> dict:
    feed = Feed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return {"feed": feed_id, "skipped": "gone or paused"}
    result = feed_poll(feed)
    return {"feed": feed_id, "new": result.new_items, "error": result.error}
