"""The app was called `sources` (a word that now means only a cited page). Tasks queued in the
database before the rename name their functions by the old module path: point them at the new
one, so that no archive request or link check waiting in the queue is lost."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD, NEW = "sitrep.sources.", "sitrep.linkcheck."


def repoint(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path__startswith=OLD).update(
        task_path=Concat(Value(NEW), Substr("task_path", len(OLD) + 1))
    )


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]
    operations = [migrations.RunPython(repoint, migrations.RunPython.noop)]
