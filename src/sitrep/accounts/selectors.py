from __future__ import annotations

import re
import unicodedata

from sitrep.accounts.models import User

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
