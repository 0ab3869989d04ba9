"""What pages say about the site's fediverse account: the `fediverse:creator` meta tag (which
Mastodon shows under a shared link) and the actor's address; nothing while it is off."""

from django.conf import settings

from sitrep.fediverse import local
from sitrep.fediverse.models import Follower, Profile


def fediverse(request):
    """The follower count is a callable, which a template calls only where it shows it (the
    page's foot): the many partial renders of a page make no query for it."""
    if not settings.SITREP_FEDIVERSE:
        return {}
    return {"fediverse_handle": local.handle(), "fediverse_site": settings.SITREP_SITE_URL,
            "fediverse_followers": followers_shown}  # fmt: skip


def followers_shown() -> int | None:
    """How many follow the site, or None when the profile keeps it private."""
    if not Profile.objects.filter(pk=1, show_followers=True).exists():
        return None
    return Follower.objects.filter(state=Follower.State.ACCEPTED).count()
