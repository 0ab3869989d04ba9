from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from sitrep.places.models import Place
from sitrep.places.selectors import DEFAULT_WINDOW, WINDOWS, places_listed, posts_at, recent_places
from sitrep.posts.pagecache import public_page
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
    window = request.GET.get("window", DEFAULT_WINDOW)
    if window not in WINDOWS:
        window = DEFAULT_WINDOW
    context = {
        "window": window,
        "windows": list(WINDOWS),
        "places": recent_places(window),
        "tiles_url": settings.SITREP_MAP_TILES_URL,
        "tiles_attribution": settings.SITREP_MAP_TILES_ATTRIBUTION,
    }
    return render(request, "places/map.html", context)
