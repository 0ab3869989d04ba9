from django.dispatch import Signal

# Sent by posts services after posts, their clips or their labels changed (and were committed).
# `search.receivers` keeps the search index fresh from it; posts never imports search.
post_changed = Signal()  # sender=Post, post_ids=list[int], deleted=bool
