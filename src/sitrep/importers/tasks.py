"""Background tasks of imports: thin, by id, repeatable (django-tasks)."""

from django_tasks import task

from sitrep.importers import images
from sitrep.importers.models import ImportRun
from sitrep.importers.runs import import_run_execute


@task()
def import_run_task(run_id: int) -> dict:
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.WAITING).first()
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
