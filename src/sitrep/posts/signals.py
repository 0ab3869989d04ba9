from django.dispatch import Signal

# Sent by posts services after a post, its clips or its labels changed (and were committed).
# `search.receivers` keeps the search index fresh from it; posts never imports search.
post_changed = Signal()  # sender=Post, post_id=int, deleted=bool
