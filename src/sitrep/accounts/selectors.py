from __future__ import annotations

import re
import unicodedata

from django.core.cache import cache

from sitrep.accounts.models import User
from sitrep.accounts.permissions import can_edit_posts, can_moderate

# Short names ("Ed") would block too much if matched inside longer names; match those exactly.
MIN_CONTAINED_LENGTH = 4


def fold_name(name: str) -> str:
    """Case, width and punctuation folded away.

    "Desk  Editor", "desk-editor" and full-width "ＤｅｓｋＥｄｉｔｏｒ" all fold to "deskeditor".
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", "", text)


def reserved_names(*, exclude_user=None) -> set[str]:
    """Folded names nobody but an editor may use: every editor's signature and names."""
    editors = User.objects.filter(is_editor=True)
    if exclude_user is not None and exclude_user.pk:
        editors = editors.exclude(pk=exclude_user.pk)
    names = set()
    for row in editors.values_list("username", "signature", "public_name"):
        names.update(fold_name(n) for n in row if n)
    names.discard("")
    return names


def name_is_reserved(name: str, *, exclude_user=None) -> bool:
    folded = fold_name(name)
    if not folded:
        return False
    return any(
        folded == r or (len(r) >= MIN_CONTAINED_LENGTH and r in folded)
        for r in reserved_names(exclude_user=exclude_user)
    )


READER_MAX_AGE = 3600  # a safety net: any save of the account drops it (accounts/receivers.py)


def reader_key(user_id) -> str:
    return f"sitrep:reader:{user_id}"


def reader_summary(user_id) -> dict | None:
    """What the page cache needs to serve a signed-in account a shared page: its name, its
    session hash (so a password change still ends old sessions) and whether it is a plain
    reader (editors, moderators and staff see tools on pages: theirs are rendered for them).
    None for no such active account. Cached until the account is saved."""

    def read():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return {}
        return {
            "name": user.display_name(),
            "hash": user.get_session_auth_hash(),
            "plain": not (can_edit_posts(user) or can_moderate(user) or user.is_staff),
        }

    return cache.get_or_set(reader_key(user_id), read, READER_MAX_AGE) or None
