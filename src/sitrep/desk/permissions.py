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


def moderator_required(view):
    """Editors, moderators and owners; everyone else as in editor_required."""
    from sitrep.accounts.permissions import can_moderate

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
