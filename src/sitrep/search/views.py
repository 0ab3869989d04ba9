from django.shortcuts import render
from django.views.decorators.http import require_GET

from sitrep.core.pagination import page_number
from sitrep.posts.models import Outlet
from sitrep.posts.views import sidebar_context
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
        "outlets": Outlet.objects.filter(clips__isnull=False).distinct().only("name", "slug"),
        "hits": hits,
        "total": total,
        "number": number,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number * RESULTS_PER_PAGE < total else None,
        **sidebar_context(),
    }
    return render(request, "search/results.html", context)
