"""Background tasks of the media library: thin, by id, repeatable (django-tasks)."""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from sitrep.media.models import MediaFile
from sitrep.media.services import media_sizes

SWEEP = 50  # images per sweep whose sizes were never made


@task()
def media_sizes_task(media_id: int) -> dict:
    media = MediaFile.objects.filter(pk=media_id).first()
    if media is None:
        return {"media": media_id, "skipped": "gone"}
    sizes = media_sizes(media=media)
    return {"media": media_id, "sizes": sum(len(v) for v in sizes.values() if isinstance(v, list))}


def sizes_due() -> int:
    """Once an hour, queue sizes for images that still have none an hour after they came (a
    lost task, a restored export, files from before sizes were made)."""
    if not cache.add("media:sizes-sweep", 1, timeout=3600):
        return 0
    ids = list(
        MediaFile.objects.filter(sizes={}, animated=False,
                                 created__lte=timezone.now() - dt.timedelta(hours=1))
        .values_list("pk", flat=True)[:SWEEP]
    )  # fmt: skip
    for pk in ids:
        media_sizes_task.enqueue(pk)
    return len(ids)
