from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from sitrep.pages.cache import public_page
from sitrep.places.models import Place
from sitrep.places.selectors import DEFAULT_WINDOW, WINDOWS, places_listed, posts_at, recent_places
from sitrep.posts.views import listing_page, sidebar_context


@require_GET
@public_page
def place(request, slug: str):
    place = get_object_or_404(Place, slug=slug)
    return listing_page(request, posts_at(place), "places/place.html", counted=True, place=place)


@require_GET
@public_page
def place_index(request):
    return render(request, "places/index.html", {"places": places_listed(), **sidebar_context()})


@require_GET
@public_page
def map_view(request):
    window = request.GET.get("window", "")
    if window in WINDOWS:
        places = recent_places(window)
    else:
        # No choice made: the last 24 hours, or the last week when the day was quiet.
        window = DEFAULT_WINDOW
        places = recent_places(window)
        if not places:
            window, places = "7d", recent_places("7d")
    context = {
        "window": window,
        "windows": list(WINDOWS),
        "places": places,
        "tiles_url": settings.SITREP_MAP_TILES_URL,
        "tiles_attribution": settings.SITREP_MAP_TILES_ATTRIBUTION,
    }
    return render(request, "places/map.html", context)
