from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sitrep.core.pagination import page_number
from sitrep.posts.models import Clip, Outlet
from sitrep.posts.views import sidebar_context
from sitrep.search.backends import CANDIDATES
from sitrep.search.selectors import search_posts

RESULTS_PER_PAGE = 20
MAX_QUERY_CHARS = 200


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    outlet = Outlet.objects.filter(slug=request.GET.get("outlet", "")[:140]).first()
    number = page_number(request)
    hits, total = [], 0
    if query:
        offset = (number - 1) * RESULTS_PER_PAGE
        hits, total = search_posts(query, limit=RESULTS_PER_PAGE, offset=offset, outlet=outlet)
    context = {
        "query": query,
        "outlet": outlet,
        # Outlets quoted at least once: one index probe each, not a scan of every clip.
        "outlets": Outlet.objects.filter(Exists(Clip.objects.filter(outlet=OuterRef("pk"))))
        .order_by("name")
        .only("name", "slug"),
        "hits": hits,
        "total": total,
        "more_than": CANDIDATES if total > CANDIDATES else None,
        "number": number,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number * RESULTS_PER_PAGE < min(total, CANDIDATES) else None,
        **sidebar_context(),
    }
    return render(request, "search/results.html", context)
