"""What the comments app tells the apps built on it."""

from django.dispatch import Signal

# A reader's comment was stored (visible, held or filed as spam): sent with `comment` and
# `notify_email`, the address its writer gave to hear of replies ("" if none).
comment_posted = Signal()
