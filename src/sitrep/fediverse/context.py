"""What pages say about the site's fediverse account: the `fediverse:creator` meta tag (which
Mastodon shows under a shared link) and the actor's address; nothing while it is off."""

from django.conf import settings

from sitrep.fediverse import local


def fediverse(request):
    if not settings.SITREP_FEDIVERSE:
        return {}
    return {"fediverse_handle": local.handle(), "fediverse_site": settings.SITREP_SITE_URL}
