"""Who may do what. Views, templates and admin all ask these functions, nothing else."""


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
