"""The media library's files, when they are kept on this machine's disk."""

from __future__ import annotations

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from sitrep.media.services import FORMATS

TYPES = {extension: content_type for content_type, extension in FORMATS.values()}


@require_safe
def serve(request, path: str):
    """A stored file, cached for good: its name is made from its content."""
    extension = path.rsplit(".", 1)[-1].lower()
    if extension not in TYPES:
        raise Http404("No such file")
    try:
        handle = default_storage.open(path)
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation):
        raise Http404("No such file") from None
    response = FileResponse(handle, content_type=TYPES[extension])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
