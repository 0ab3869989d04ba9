from django.conf import settings


def site(request):
    """Site-wide values every template may use; cheap, no queries."""
    return {
        "site_name": settings.SITREP_SITE_NAME,
        "site_tagline": settings.SITREP_SITE_TAGLINE,
    }
