"""The desk's import and export screens: an upload imported by the worker, its progress and
report, and the whole site as one file."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.importers.forms import ImportForm
from sitrep.importers.models import ImageCopy, ImportRun
from sitrep.importers.runs import (
    images_summary,
    import_run_images_retry,
    import_run_progress,
    import_run_start,
)
from sitrep.importers.sitrep_jsonl import export

IMPORT_MAX_BYTES = 256 * 2**20  # through the browser; the command line takes any size


@editor_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    """Upload an export: the worker imports it, and its page shows how far it has got."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                f"{upload.name} is larger than {IMPORT_MAX_BYTES // 2**20} MB; import it on the "
                "server with `sitrep import`, which has no such limit.",
            )
        else:
            run = import_run_start(upload=upload, fmt=form.cleaned_data["format"], by=request.user)
            return redirect("desk:import_run", run_id=run.pk)
    runs = ImportRun.objects.all()[:20]
    return render(request, "desk/import.html", {"form": form, "runs": runs})


@editor_required
def import_run_view(request, run_id: int):
    """One import: its progress while the worker runs it, then its report and its images."""
    run = get_object_or_404(ImportRun, pk=run_id)
    failed = run.images.filter(status=ImageCopy.Status.FAILED).order_by("id")
    context = {
        "run": run,
        "progress": import_run_progress(run),
        "images": images_summary(run),
        "failed_images": failed[:500],
    }
    return render(request, "desk/import_run.html", context)


@editor_required
@require_POST
def import_images_retry(request, run_id: int):
    """Try the images that could not be copied once more."""
    run = get_object_or_404(ImportRun, pk=run_id)
    import_run_images_retry(run=run)
    return redirect("desk:import_run", run_id=run.pk)


@editor_required
def export_view(request):
    """The whole site as one JSON-lines file (see importers/sitrep_jsonl.py for the format)."""
    spool = tempfile.TemporaryFile(mode="w+b")
    with open(spool.fileno(), "w", encoding="utf-8", closefd=False) as text:
        export(text)
    spool.seek(0)
    name = f"sitrep-export-{timezone.localdate():%Y-%m-%d}.jsonl"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/jsonl")
