"""The desk's stories: create them, put posts in them, set and log each claim's status."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.core.redirects import next_url
from sitrep.desk.permissions import editor_required
from sitrep.posts.models import Post
from sitrep.stories.models import Status, Story, StoryEntry
from sitrep.stories.services import (
    StoryError,
    post_correct,
    post_status_change,
    story_add_post,
    story_remove_post,
    story_save,
    story_update_from_inbox,
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


@editor_required
@require_POST
def story_update(request):
    """From the inbox: ticked items become an update to a story's latest post."""
    ids = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
    story = Story.objects.filter(pk=request.POST.get("story") or 0).first()
    back = next_url(request, "desk:inbox")
    if story is None:
        messages.error(request, "Choose the story to update.")
        return redirect(back)
    try:
        post = story_update_from_inbox(story=story, item_ids=ids, actor=request.user)
    except StoryError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"Added to “{post.headline}” as an update.")
    return redirect(back)
