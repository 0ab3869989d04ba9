"""Archive counts follow deletions made any way: a post deleted by its service or in bulk by
the admin (Django sends pre_delete for each post before anything is deleted, while its clips and
labels are still there to count); a deleted label or outlet takes its row along."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from sitrep.audit.services import record, text_diff
from sitrep.media.models import MediaFile
from sitrep.media.signals import media_changed
from sitrep.posts.counts import LABEL, OUTLET, shares, tally_apply
from sitrep.posts.models import ArchiveCount, Label, Outlet, Post


@receiver(pre_delete, sender=Post, dispatch_uid="posts-count-deleted-post")
def post_leaves_counts(sender, instance: Post, **kwargs):
    tally_apply(shares([instance.pk]), {})


@receiver(pre_delete, sender=Post, dispatch_uid="posts-audit-deleted-post")
def post_deletion_recorded(sender, instance: Post, **kwargs):
    from sitrep.posts.services import post_as_text

    record("post.delete", target=f"{instance.headline} (#{instance.pk})",
           diff=text_diff(post_as_text(instance), "", name="post"))  # fmt: skip


@receiver(post_delete, sender=Label, dispatch_uid="posts-count-deleted-label")
@receiver(post_delete, sender=Outlet, dispatch_uid="posts-count-deleted-outlet")
def row_leaves_counts(sender, instance, **kwargs):
    kind = LABEL if sender is Label else OUTLET
    ArchiveCount.objects.filter(kind=kind, key=instance.pk).delete()


@receiver(media_changed, sender=MediaFile, dispatch_uid="posts-show-changed-images")
def images_changed(sender, ids, **kwargs):
    from sitrep.posts.services import posts_images_refresh

    posts_images_refresh(ids=ids)
