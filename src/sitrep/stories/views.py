from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from sitrep.pages.cache import public_page
from sitrep.posts.views import sidebar_context
from sitrep.stories.models import Story
from sitrep.stories.selectors import stories_listed, story_timeline


@require_GET
@public_page
def story_index(request):
    return render(request, "stories/index.html", {"stories": stories_listed(), **sidebar_context()})


@require_GET
@public_page
def story_detail(request, slug: str):
    story = get_object_or_404(Story, slug=slug)
    oldest_first = request.GET.get("order") == "oldest"
    context = {
        "story": story,
        "entries": story_timeline(story, oldest_first=oldest_first),
        "oldest_first": oldest_first,
        **sidebar_context(),
    }
    return render(request, "stories/story.html", context)
