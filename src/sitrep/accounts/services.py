from __future__ import annotations

from django.db import transaction

from sitrep.accounts.models import User


@transaction.atomic
def editor_create(*, username: str, password: str | None, signature: str, email: str = "") -> User:
    """Create an editor, or promote and update an existing account of that name.

    Idempotent on username: running it twice with the same arguments changes nothing more.
    """
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.is_editor = True
    user.is_staff = True  # editors may use the Django admin as well as the desk
    user.signature = signature
    if email:
        user.email = email
    if password:
        user.set_password(password)
    elif not user.has_usable_password():
        user.set_unusable_password()
    user.save()
    return user
