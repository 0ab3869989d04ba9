"""Background tasks of imports: thin, by id, repeatable (django-tasks)."""

from django.utils import timezone
from django_tasks import task

from sitrep.importers import images
from sitrep.importers.models import ImportRun
from sitrep.importers.runs import import_run_execute

# A run is checking or importing only while its task runs, or after its worker stopped in the
# middle: then the task, queued again, starts it over (import keys keep that from doubling
# anything already brought in).
STARTABLE = (ImportRun.Status.WAITING, ImportRun.Status.CHECKING, ImportRun.Status.IMPORTING)


@task()
def import_run_task(run_id: int) -> dict:
    run = ImportRun.objects.filter(pk=run_id, status__in=STARTABLE).first()
    if run is None:
        return {"run": run_id, "skipped": "gone or already done"}
    run = import_run_execute(run=run)
    return {"run": run_id, "status": run.status}


@task()
def images_copy_task(run_id: int) -> dict:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return {"run": run_id, "skipped": "gone"}
    return {"run": run_id, **images.images_copy(run=run)}


def import_interrupted(sender, *, task_path, args, failed, **kwargs) -> None:
    """A run whose task will not be run again is not left "importing" for ever."""
    if failed and task_path == f"{__name__}.import_run_task" and args:
        ImportRun.objects.filter(pk=args[0], status__in=STARTABLE).update(
            status=ImportRun.Status.FAILED, finished=timezone.now(),
            error="The worker stopped while importing this file, twice. What was imported "
            "stays; start the import again to bring in the rest (nothing is doubled).",
        )  # fmt: skip
