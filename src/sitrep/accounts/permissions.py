"""Who may do what. Views, templates and admin all ask these functions, nothing else."""


def can_edit_posts(user) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.is_editor or user.is_superuser)


def can_moderate(user) -> bool:
    """Editors moderate comments; a later moderator role will join here."""
    return can_edit_posts(user)
