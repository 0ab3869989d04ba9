from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from sitrep.accounts.permissions import can_edit_posts, can_moderate


def _requires(permission):
    """A view decorator: anonymous visitors are sent to sign in; others without
    `permission(user)` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permission(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


editor_required = _requires(can_edit_posts)  # posts, inbox, sources, import/export, settings
moderator_required = _requires(can_moderate)  # the queue, comments, bans
