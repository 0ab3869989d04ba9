from __future__ import annotations

from django.db import transaction

from sitrep.core.html import to_text
from sitrep.posts.models import Post
from sitrep.search.models import SearchDocument


def _fields(post) -> dict:
    clips = list(post.clips.all())
    # " … " between passages keeps a snippet from running one passage into the next unmarked.
    body = [to_text(c.excerpt_html) for c in clips] + [
        to_text(post.text_html),
        to_text(post.note_html),
    ]
    sources = [f"{c.source_headline} {c.authors}" for c in clips]
    return {
        "headline": post.headline,
        "body": " … ".join(p for p in body if p),
        "sources": " … ".join(sources),
        "outlets": " ".join(sorted({c.outlet.name for c in clips})),
        "labels": " ".join(label.name for label in post.labels.all()),
    }


REBUILD_BATCH = 1000


def documents_refresh(*, post_ids: list[int]) -> int:
    """Rebuild the search documents of these posts, a thousand per transaction (a query or two
    per post was most of a rebuild's time). Idempotent; returns how many posts were indexed."""
    count = 0
    for start in range(0, len(post_ids), REBUILD_BATCH):
        posts = list(
            Post.objects.filter(pk__in=post_ids[start : start + REBUILD_BATCH])
            .order_by("pk")
            .prefetch_related("clips__outlet", "labels")
        )
        with transaction.atomic():
            SearchDocument.objects.filter(post__in=posts).delete()
            SearchDocument.objects.bulk_create(
                [SearchDocument(post=post, **_fields(post)) for post in posts]
            )
        count += len(posts)
    return count


def index_rebuild() -> int:
    """Rebuild every post's search document."""
    return documents_refresh(
        post_ids=list(Post.objects.order_by("pk").values_list("pk", flat=True))
    )
