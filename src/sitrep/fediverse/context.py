"""What pages say about the site's fediverse account: the `fediverse:creator` meta tag (which
Mastodon shows under a shared link) and the actor's address; nothing while it is off."""

from django.conf import settings

from sitrep.fediverse import local
from sitrep.fediverse.models import Follower, Profile


def fediverse(request):
    """Pages are rendered once per change and shared (pages.cache), so the follower count's
    query runs once per page per change, not per reader."""
    if not settings.SITREP_FEDIVERSE:
        return {}
    context = {"fediverse_handle": local.handle(), "fediverse_site": settings.SITREP_SITE_URL}
    if Profile.objects.filter(pk=1, show_followers=True).exists():
        context["fediverse_followers"] = Follower.objects.filter(state="accepted").count()
    return context
