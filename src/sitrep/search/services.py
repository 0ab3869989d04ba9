from __future__ import annotations

from sitrep.core.html import to_text
from sitrep.posts.models import Post
from sitrep.search.models import SearchDocument


def document_refresh(*, post_id: int) -> SearchDocument | None:
    """Rebuild the search document of one post from its current content. Idempotent."""
    post = Post.objects.filter(pk=post_id).prefetch_related("clips__outlet", "labels").first()
    if post is None:
        return None
    clips = list(post.clips.all())
    # " … " between passages keeps a snippet from running one passage into the next unmarked.
    body = [to_text(c.excerpt_html) for c in clips] + [
        to_text(post.text_html),
        to_text(post.note_html),
    ]
    sources = [f"{c.source_headline} {c.authors}" for c in clips]
    doc, _ = SearchDocument.objects.update_or_create(
        post=post,
        defaults={
            "headline": post.headline,
            "body": " … ".join(p for p in body if p),
            "sources": " … ".join(sources),
            "outlets": " ".join(sorted({c.outlet.name for c in clips})),
            "labels": " ".join(label.name for label in post.labels.all()),
        },
    )
    return doc


def index_rebuild() -> int:
    count = 0
    for post_id in Post.objects.values_list("pk", flat=True).iterator():
        document_refresh(post_id=post_id)
        count += 1
    return count
