"""Who may do what. Views, templates and admin all ask these functions, nothing else."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def can_edit_posts(user) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.is_editor or user.is_superuser)


def can_moderate(user) -> bool:
    """Owners (superusers), editors and moderators moderate comments."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.is_editor or user.is_moderator or user.is_superuser)


def is_staff_member(user) -> bool:
    """Editors, moderators and owners: the accounts an attacker most wants."""
    return can_moderate(user)


def is_owner(user) -> bool:
    """Owners run the site: its security policy and the audit of staff actions."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


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
owner_required = _requires(is_owner)  # the security policy
