"""Posts whose status was set out of order (the demo wrote corrections after later status
changes) take the status their log states last, as the services now keep it."""

from django.db import migrations


def settle(apps, schema_editor):
    StoryEntry = apps.get_model("stories", "StoryEntry")
    PostLogEntry = apps.get_model("stories", "PostLogEntry")
    for entry in StoryEntry.objects.all():
        latest = (
            PostLogEntry.objects.filter(post_id=entry.post_id, kind__in=["status", "correction"])
            .order_by("-created", "-id")
            .first()
        )
        if latest is None:
            continue
        if latest.kind == "correction":
            status, confirmed_by = "corrected", 0
        else:
            status, confirmed_by = latest.status, latest.confirmed_by
        if (entry.status, entry.confirmed_by) != (status, confirmed_by):
            entry.status, entry.confirmed_by = status, confirmed_by
            entry.save(update_fields=["status", "confirmed_by"])


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_stories")]
    operations = [migrations.RunPython(settle, migrations.RunPython.noop)]
