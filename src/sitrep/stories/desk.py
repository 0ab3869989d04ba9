"""The desk's stories: create them, put posts in them, set and log each claim's status."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from sitrep.accounts.permissions import editor_required
from sitrep.posts.models import Post
from sitrep.stories.models import Status, Story, StoryEntry
from sitrep.stories.services import (
    StoryError,
    post_correct,
    post_status_change,
    story_add_post,
    story_remove_post,
    story_save,
)

RECENT_POSTS = 60  # offered for adding to a story


@editor_required
@require_http_methods(["GET", "POST"])
def stories(request):
    form, error = {"title": "", "summary": ""}, ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            story = story_save(story=None, title=form["title"], summary=form["summary"])
        except StoryError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Story “{story.title}” created.")
            return redirect("desk:story", story.pk)
    context = {"stories": Story.objects.all(), "form": form, "error": error}
    return render(request, "desk/stories.html", context, status=400 if error else 200)


@editor_required
@require_http_methods(["GET", "POST"])
def story(request, story_id: int):
    story = get_object_or_404(Story, pk=story_id)
    if request.method == "POST":
        error = _story_action(request, story)
        if error:
            messages.error(request, error)
        return redirect("desk:story", story.pk)
    entries = (
        StoryEntry.objects.filter(story=story)
        .select_related("post")
        .prefetch_related("post__log_entries")
        .order_by("-post__published_at")
    )
    candidates = (
        Post.objects.filter(story_entry__isnull=True)
        .order_by("-published_at", "-id")
        .only("headline", "published_at", "status")[:RECENT_POSTS]
    )
    context = {
        "story": story,
        "entries": entries,
        "candidates": candidates,
        "statuses": Status.choices,
    }
    return render(request, "desk/story.html", context)


def _story_action(request, story: Story) -> str:
    """Run the posted action; return an error message, or "" when it worked."""
    data = request.POST
    action = data.get("action", "")
    post_id = data.get("post", "")
    post = Post.objects.filter(pk=post_id).first() if post_id.isdigit() else None
    try:
        if action == "edit":
            story_save(
                story=story,
                title=data.get("title", ""),
                summary=data.get("summary", ""),
                developing=data.get("developing") == "on",
            )
        elif action == "add" and post:
            story_add_post(story=story, post=post)
        elif action == "remove" and post:
            story_remove_post(post=post)
        elif action == "status" and post:
            confirmed_by = data.get("confirmed_by", "0")
            post_status_change(
                post=post,
                status=data.get("status", ""),
                reason=data.get("reason", ""),
                confirmed_by=int(confirmed_by) if confirmed_by.isdigit() else 0,
                actor=request.user,
            )
        elif action == "correct" and post:
            post_correct(post=post, reason=data.get("reason", ""), actor=request.user)
        else:
            return "Choose a post and an action."
    except StoryError as error:
        return str(error)
    messages.success(request, "Saved.")
    return ""
