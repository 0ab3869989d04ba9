"""The site's fediverse addresses: WebFinger, NodeInfo, the actor and its collections, posts and
comments as objects, and the inboxes. All answer 404 while SITREP_FEDIVERSE is off."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sitrep.comments.models import Comment
from sitrep.core.cache import window_count
from sitrep.fediverse import documents, local, remote
from sitrep.fediverse.models import Follower, Outgoing, Received, Server
from sitrep.fediverse.publish import post_note, with_note_parts
from sitrep.fediverse.signatures import SignatureError, Signed, key_id_of, verify
from sitrep.posts.models import Post

JSON_TYPES = ("application/activity+json", "application/ld+json", "application/json")
MAX_BODY = 256 * 1024  # an activity is a few kilobytes; Mastodon's own limit is 1 MB
NODEINFO = 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
PER_SERVER = 600
OUTBOX_PAGE = (
    20  # posts in a page of the outbox  # activities a minute from one server; more waits (429)
)


def _enabled(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not local.enabled():
            raise Http404("This site is not on the fediverse.")
        return view(request, *args, **kwargs)

    return wrapper


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in JSON_TYPES)


def _json(document: dict, *, content_type=documents.ACTIVITY_JSON, status=200) -> HttpResponse:
    response = JsonResponse(document, content_type=content_type, status=status,
                            json_dumps_params={"ensure_ascii": False})  # fmt: skip
    response["Vary"] = "Accept, Signature"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _signed_get(view):
    """With SITREP_FEDIVERSE_AUTHORIZED_FETCH, posts, comments and collections go only to
    servers that sign their GETs (and are not blocked); the actor and WebFinger stay open,
    since a server needs our key before it can be asked to sign."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.SITREP_FEDIVERSE_AUTHORIZED_FETCH and _wants_json(request):
            try:
                _authenticate(request, b"")
            except (SignatureError, remote.RemoteError) as exc:
                return _json({"error": str(exc)}, content_type="application/json", status=401)
            except _Blocked as exc:
                return _json({"error": str(exc)}, content_type="application/json", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_enabled
def webfinger(request):
    resource = request.GET.get("resource", "")
    names = {f"acct:{settings.SITREP_FEDIVERSE_USERNAME}@{local.host()}", local.actor_uri(),
             local.absolute("/")}  # fmt: skip
    if resource not in names:
        raise Http404("No such account here.")
    return _json(documents.webfinger(), content_type="application/jrd+json")


@require_GET
@_enabled
def nodeinfo_links(request):
    return JsonResponse({"links": [{
        "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
        "href": local.absolute("/nodeinfo/2.1"),
    }]})  # fmt: skip


@require_GET
@_enabled
def nodeinfo(request):
    posts = Post.objects.live().count()
    comments = Comment.objects.visible().count()
    return JsonResponse({
        "version": "2.1",
        "software": {"name": "sitrep", "version": "0.1.0",
                     "repository": "https://github.com/sitrep"},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": False,
        "usage": {"users": {"total": 1, "activeMonth": 1, "activeHalfyear": 1},
                  "localPosts": posts, "localComments": comments},
        "metadata": {"nodeName": settings.SITREP_SITE_NAME},
    }, content_type=NODEINFO)  # fmt: skip


@require_GET
@_enabled
def actor(request):
    if not _wants_json(request):
        return redirect("/")
    return _json(documents.actor())


@require_GET
@_enabled
@_signed_get
def outbox(request):
    """The posts followers were sent, newest first, as their Creates (with the post as it is
    now): servers that meet the account later read its recent posts from here."""
    uri = local.absolute(request.path)
    sent = Post.objects.live().filter(reach__sent_hash__gt="", reach__deleted=False)
    total = sent.count()
    page = request.GET.get("page", "")
    if not page.isdigit() or int(page) < 1:
        document = documents.collection(uri, total=total)
        document["first"] = f"{uri}?page=1"
        return _json(document)
    number = int(page)
    start = (number - 1) * OUTBOX_PAGE
    newest = with_note_parts(sent).order_by("-published_at", "-id")
    posts = list(newest[start : start + OUTBOX_PAGE + 1])
    items = [
        documents.activity("Create", post_note(p), uri=f"{local.post_uri(p.pk)}#create")
        for p in posts[:OUTBOX_PAGE]
    ]
    for item in items:
        item.pop("@context")
    document = {"@context": documents.CONTEXT, "id": f"{uri}?page={number}",
                "type": "OrderedCollectionPage", "partOf": uri, "orderedItems": items}  # fmt: skip
    if len(posts) > OUTBOX_PAGE:
        document["next"] = f"{uri}?page={number + 1}"
    return _json(document)


@require_GET
@_enabled
@_signed_get
def followers(request):
    uri = local.absolute(request.path)
    total = Follower.objects.filter(state=Follower.State.ACCEPTED).count()
    return _json(documents.collection(uri, total=total))


@require_GET
@_enabled
@_signed_get
def following(request):
    return _json(documents.collection(local.absolute(request.path), total=0, items=[]))


@require_GET
@_enabled
@_signed_get
def post_object(request, post_id):
    post = get_object_or_404(with_note_parts(Post.objects.live()), pk=post_id)
    if not _wants_json(request):
        return redirect(post.get_absolute_url())
    return _json({"@context": documents.CONTEXT, **post_note(post)})


@require_GET
@_enabled
@_signed_get
def replies(request, post_id):
    """The post's visible discussion, so fediverse readers see all of it: comments written here
    by their object ids, replies written there by theirs."""
    post = get_object_or_404(Post.objects.live(), pk=post_id)
    rows = post.comments.visible().select_related("remote").order_by("created", "id")
    items = [c.remote.uri if hasattr(c, "remote") else local.comment_uri(c.pk) for c in rows]
    return _json(documents.collection(local.absolute(request.path), total=len(items),
                                      items=items))  # fmt: skip


@require_GET
@_enabled
@_signed_get
def comment_object(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.visible().filter(post__in=Post.objects.live()), pk=comment_id
    )
    if not _wants_json(request):
        return redirect(comment.get_absolute_url())
    parent = (
        local.comment_uri(comment.parent_id)
        if comment.parent_id
        else local.post_uri(comment.post_id)
    )
    return _json(
        {"@context": documents.CONTEXT, **documents.comment_note(comment, in_reply_to=parent)}
    )


@require_GET
@_enabled
@_signed_get
def outgoing(request, uid):
    sent = get_object_or_404(Outgoing, uri=local.absolute(request.path))
    if sent.kind not in ("Create", "Update", "Delete"):
        raise Http404("Not a public activity.")
    return _json(sent.payload)


class _Blocked(Exception):
    pass


def _authenticate(request, body: bytes, signed: Signed | None = None):
    """The account that signed this request, after its signature checked out against its key
    (fetched again once if the key it signed with is not the one we kept)."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    signed = signed or key_id_of(headers)
    server = Server.objects.filter(host=remote.host_of(signed.key_id)).first()
    if server is not None and server.blocked:
        raise _Blocked(f"{server.host} is blocked by this site")
    url = local.absolute(request.get_full_path())
    owner = remote.key_owner(signed.key_id)
    try:
        verify(request.method, url, headers, body, signed=signed, public_pem=owner.public_key)
    except SignatureError:
        if not remote.stale(owner):
            raise
        owner = remote.key_owner(signed.key_id, refresh=True)  # a rotated key
        verify(request.method, url, headers, body, signed=signed, public_pem=owner.public_key)
    return owner, signed


@csrf_exempt
@require_POST
@_enabled
def inbox(request):
    """Take a signed activity, record it and leave it to the worker: 202 at once. Refusals say
    why, in the answer's JSON (other servers' logs) and, once recorded, in the desk."""
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY:
        return _error(413, f"larger than {MAX_BODY // 1024} KB")
    body = request.body
    try:
        activity = json.loads(body)
    except ValueError as exc:
        return _error(400, f"not JSON: {exc}")
    if not isinstance(activity, dict) or not isinstance(activity.get("id"), str):
        return _error(400, "an activity needs an id")
    try:
        signed = key_id_of(request.headers)
    except SignatureError as exc:
        return _error(401, str(exc))
    if window_count(f"fediverse:{remote.host_of(signed.key_id)}", 60) > PER_SERVER:
        return _error(429, "too many activities from your server; try again in a minute")
    try:
        owner, signed = _authenticate(request, body, signed)
    except _Blocked as exc:
        return _error(403, str(exc))
    except (SignatureError, remote.RemoteError) as exc:
        return _error(401, str(exc))
    if _actor_id(activity) != owner.uri:
        return _error(401, "the activity's actor is not the account that signed it")
    Server.objects.filter(pk=owner.server_id).update(
        signature=signed.style, dead=False, failing_since=None, failures=0
    )
    kind = str(activity.get("type", ""))[:20]
    try:
        with transaction.atomic():
            received = Received.objects.create(uri=activity["id"][:500], kind=kind,
                                               actor=owner, payload=activity)  # fmt: skip
    except IntegrityError:
        return HttpResponse(status=202)  # a delivery tried again: we have it
    from sitrep.fediverse.tasks import receive_task

    transaction.on_commit(lambda: receive_task.enqueue(received.pk))
    return HttpResponse(status=202)


def _actor_id(activity: dict) -> str:
    """The activity's actor, named or embedded."""
    actor = activity.get("actor")
    return actor.get("id", "") if isinstance(actor, dict) else actor


def _error(status: int, message: str) -> HttpResponse:
    return JsonResponse({"error": message}, status=status)
