from django.contrib.auth.models import AbstractUser
from django.db import models

from sitrep.core import fields


class User(AbstractUser):
    """A reader account, or an editor when `is_editor` is set.

    `public_name` is what readers see beside comments; an account without one is shown as
    "Unknown", the way long-running blog platforms do. An editor's `signature` signs the notes
    under posts ("Desk Editor: ...") and is reserved: no commenter can post under it.
    """

    public_name = fields.CharField(max_length=80, blank=True)
    is_editor = models.BooleanField(default=False, help_text="May publish posts and moderate.")
    is_moderator = models.BooleanField(default=False, help_text="May moderate comments only.")
    signature = fields.CharField(
        max_length=80, blank=True, help_text="Shown before the editor's note, e.g. 'Desk Editor'."
    )

    def display_name(self) -> str:
        if self.is_editor and self.signature:
            return self.signature
        return self.public_name or "Unknown"


class SecurityPolicy(models.Model):
    """How staff sign in, for the whole site; one row (pk=1), edited by owners in the desk."""

    staff_two_factors = models.BooleanField(
        "Staff must use two factors",
        default=False,
        help_text=(
            "Editors, moderators and owners without a second factor (an authenticator app or a "
            "passkey) are sent to set one up before they reach the desk."
        ),
    )

    def __str__(self):
        return (
            "Two factors required for staff" if self.staff_two_factors else "Two factors optional"
        )

    @classmethod
    def current(cls) -> "SecurityPolicy":
        """The policy; the defaults until an owner first saves it (never a write)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
