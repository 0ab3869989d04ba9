"""Background tasks: thin, by id, repeatable (django-tasks)."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from sitrep.linkcheck.services import (
    HOST_INTERVAL,
    host_slot_free,
    source_archive,
    source_check,
    sources_of_post,
)
from sitrep.posts.models import Source


@task()
def archive_post_sources(post_id: int) -> dict:
    """A post was published or changed: archive the sources it cites that have no copy yet."""
    done = []
    for source in sources_of_post(post_id):
        if not (source.archive_url and source.text):
            source_archive(source)
            done.append(source.pk)
    return {"post": post_id, "archived": done}


@task()
def check_source(source_id: int) -> dict:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return {"source": source_id, "skipped": "gone"}
    if not host_slot_free(source.host):
        # Another check talked to this host a moment ago: come back after the interval.
        source.next_check_at = timezone.now() + dt.timedelta(seconds=HOST_INTERVAL + 1)
        source.save(update_fields=["next_check_at"])
        return {"source": source_id, "skipped": "host busy"}
    result = source_check(source)
    return {"source": source_id, "state": result.state}
