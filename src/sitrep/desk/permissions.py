from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from sitrep.accounts.permissions import can_edit_posts


def editor_required(view):
    """Anonymous visitors are sent to sign in; signed-in readers get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_edit_posts(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
