"""Who may do what, as a table: every route in the URLconf, asked for (GET) by each role,
with the answer it must give. A route without a row fails the test, so no new page can slip
past unreviewed.

Answers: 200 (or another status) as given; "in": sent to sign in first; "2fa": sent to set up
a second factor; "->": sent elsewhere (a redirect that is the page's own answer).
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sitrep.accounts.models import User
from sitrep.comments.services import comment_submit
from sitrep.curation.models import Feed
from sitrep.importers.models import ImportRun
from sitrep.media.services import media_store
from sitrep.places.models import Place
from sitrep.posts.models import Source
from sitrep.stories.models import Story
from tests.images import picture

ROLES = ("anonymous", "reader", "moderator", "editor", "owner")

# Route (as the URLconf writes it) -> the answer to anonymous, reader, moderator, editor, owner.
TABLE = {
    "": "200 200 200 200 200",
    "media/<path:path>": "404 404 404 404 404",
    "<yyyy:year>/": "200 200 200 200 200",
    "<yyyy:year>/<dd:month>/": "200 200 200 200 200",
    "<yyyy:year>/<dd:month>/<dd:day>/": "200 200 200 200 200",
    "<yyyy:year>/<dd:month>/<slug:slug>/": "200 200 200 200 200",
    "<yyyy:year>/<dd:month>/<slug:slug>/comments.atom": "200 200 200 200 200",
    "<yyyy:year>/<dd:month>/<slug:slug>/comments.rss": "200 200 200 200 200",
    "archive/": "200 200 200 200 200",
    "label/<slug:slug>/": "200 200 200 200 200",
    "label/<slug:slug>/feed.atom": "200 200 200 200 200",
    "label/<slug:slug>/feed.rss": "200 200 200 200 200",
    "outlet/<slug:slug>/": "200 200 200 200 200",
    "outlet/<slug:slug>/feed.atom": "200 200 200 200 200",
    "outlet/<slug:slug>/feed.rss": "200 200 200 200 200",
    "stories/": "200 200 200 200 200",
    "stories/<slug:slug>/": "200 200 200 200 200",
    "stories/<slug:slug>/feed.atom": "200 200 200 200 200",
    "places/": "200 200 200 200 200",
    "places/posts.geojson": "200 200 200 200 200",
    "places/posts.atom": "200 200 200 200 200",
    "places/<slug:slug>/": "200 200 200 200 200",
    "places/<slug:slug>/feed.atom": "200 200 200 200 200",
    "map/": "200 200 200 200 200",
    "search/": "200 200 200 200 200",
    "about/": "200 200 200 200 200",
    "feeds/posts.atom": "200 200 200 200 200",
    "feeds/posts.rss": "200 200 200 200 200",
    "feeds/comments.atom": "200 200 200 200 200",
    "feeds/comments.rss": "200 200 200 200 200",
    "sitemap.xml": "200 200 200 200 200",
    # The fediverse account: off unless SITREP_FEDIVERSE (tests/fediverse test it on).
    ".well-known/webfinger": "404 404 404 404 404",
    ".well-known/nodeinfo": "404 404 404 404 404",
    "nodeinfo/2.1": "404 404 404 404 404",
    "ap/site": "404 404 404 404 404",
    "ap/site/inbox": "405 405 405 405 405",
    "ap/site/outbox": "404 404 404 404 404",
    "ap/site/followers": "404 404 404 404 404",
    "ap/site/following": "404 404 404 404 404",
    "ap/inbox": "405 405 405 405 405",
    "ap/posts/<int:post_id>": "404 404 404 404 404",
    "ap/posts/<int:post_id>/replies": "404 404 404 404 404",
    "ap/comments/<int:comment_id>": "404 404 404 404 404",
    "ap/activities/<uuid:uid>": "404 404 404 404 404",
    "robots.txt": "200 200 200 200 200",
    "favicon.ico": "-> -> -> -> ->",
    "^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<slug>[^/]+)\\.html$": "-> -> -> -> ->",
    "^[0-9]{4}/[0-9]{2}/[0-9]{2}/(?P<slug>[^/]+)/$": "-> -> -> -> ->",
    "search/label/<str:name>": "-> -> -> -> ->",
    "search": "-> -> -> -> ->",
    "^(?P<year>[0-9]{4})_(?P<month>[0-9]{2})_(?P<day>[0-9]{2})_archive\\.html$": "-> -> -> -> ->",
    "feeds/posts/default": "-> -> -> -> ->",
    "feeds/posts/default/-/<str:name>": "-> -> -> -> ->",
    "feeds/comments/default": "-> -> -> -> ->",
    "feeds/<int:post_id>/comments/default": "404 404 404 404 404",
    "comments/<int:comment_id>/": "-> -> -> -> ->",
    "comments/post/<int:post_id>/": "405 405 405 405 405",
    "comments/<int:comment_id>/edit/": "403 403 403 403 403",
    "comments/<int:comment_id>/delete/": "405 405 405 405 405",
    "comments/<int:comment_id>/flag/": "405 405 405 405 405",
    "moderation/": "404 404 404 404 404",
    "comments/<int:comment_id>/moderate/": "405 405 405 405 405",
    "accounts/signup/": "200 -> -> -> ->",
    "accounts/profile/": "in 200 200 200 200",
    "accounts/login/": "200 -> -> -> ->",
    "accounts/logout/": "-> 200 200 200 200",
    "accounts/inactive/": "200 200 200 200 200",
    "accounts/reauthenticate/": "in 200 200 200 200",
    "accounts/reauthenticate/code/": "in -> -> -> ->",
    "accounts/reauthenticate/code/confirm/": "in -> -> -> ->",
    "accounts/email/": "-> -> -> -> ->",
    "accounts/confirm-email/": "200 200 200 200 200",
    "accounts/password/change/": "in 200 200 200 200",
    "accounts/password/set/": "in -> -> -> ->",
    "accounts/password/reset/": "200 200 200 200 200",
    "accounts/login/code/confirm/": "in -> -> -> ->",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "200 200 200 200 200",
    "accounts/password/reset/key/done/": "200 200 200 200 200",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "200 200 200 200 200",
    "accounts/password/reset/done/": "200 200 200 200 200",
    "accounts/2fa/": "in 200 200 200 200",
    "accounts/2fa/authenticate/": "in -> -> -> ->",
    "accounts/2fa/reauthenticate/": "in -> -> -> ->",
    "accounts/2fa/totp/activate/": "in -> -> -> ->",
    "accounts/2fa/totp/deactivate/": "in 404 404 404 404",
    "accounts/2fa/recovery-codes/": "in 404 404 404 404",
    "accounts/2fa/recovery-codes/generate/": "in -> -> -> ->",
    "accounts/2fa/recovery-codes/download/": "in 404 404 404 404",
    "accounts/2fa/webauthn/": "in 200 200 200 200",
    "accounts/2fa/webauthn/add/": "in -> -> -> ->",
    "accounts/2fa/webauthn/reauthenticate/": "in -> -> -> ->",
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": "in -> -> -> ->",
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": "in -> -> -> ->",
    "accounts/2fa/webauthn/login/": "in -> -> -> ->",
    "accounts/sessions/": "in 200 200 200 200",
    "mail/subscribe/": "405 405 405 405 405",
    "mail/account/": "in 200 200 200 200",
    "mail/confirm/<str:signed>/": "200 200 200 200 200",
    "mail/manage/<str:token>/": "404 404 404 404 404",
    "mail/unsubscribe/<str:token>/": "404 404 404 404 404",
    "mail/unsubscribe/<str:token>/<str:what>/": "404 404 404 404 404",
    "desk/": "in 403 -> 200 200",
    "desk/posts/new/": "in 403 403 200 200",
    "desk/posts/<int:post_id>/": "in 403 403 200 200",
    "desk/comments/": "in 403 200 200 200",
    "desk/comments/purge/": "in 403 405 405 405",
    "desk/queue/": "in 403 200 200 200",
    "desk/queue/bulk/": "in 403 405 405 405",
    "desk/bans/": "in 403 200 200 200",
    "desk/blocked-words/": "in 403 403 405 405",
    "desk/settings/": "in 403 403 200 200",
    "desk/import/": "in 403 403 200 200",
    "desk/import/<int:run_id>/": "in 403 403 200 200",
    "desk/import/<int:run_id>/images/retry/": "in 403 403 405 405",
    "desk/export/": "in 403 403 200 200",
    "desk/inbox/": "in 403 403 200 200",
    "desk/inbox/mark/<str:action>/": "in 403 403 405 405",
    "desk/inbox/roundup/": "in 403 403 405 405",
    "desk/feeds/": "in 403 403 200 200",
    "desk/feeds/<int:feed_id>/<str:action>/": "in 403 403 405 405",
    "desk/feeds/import/": "in 403 403 405 405",
    "desk/feeds/export/": "in 403 403 200 200",
    "desk/watch-words/": "in 403 403 405 405",
    "desk/clip/": "in 403 403 200 200",
    "desk/stories/": "in 403 403 200 200",
    "desk/stories/<int:story_id>/": "in 403 403 200 200",
    "desk/stories/update/": "in 403 403 405 405",
    "desk/sources/": "in 403 403 200 200",
    "desk/sources/<int:source_id>/fix/": "in 403 403 405 405",
    "desk/sources/<int:source_id>/copy/": "in 403 403 200 200",
    "desk/places/": "in 403 403 200 200",
    "desk/places/<int:post_id>/": "in 403 403 405 405",
    "desk/outlets/": "in 403 403 200 200",
    "desk/media/": "in 403 403 200 200",
    "desk/media/upload/": "in 403 403 405 405",
    "desk/media/<int:media_id>/": "in 403 403 200 200",
    "desk/outlets/<int:outlet_id>/": "in 403 403 200 200",
    "desk/security/": "in 403 403 403 200",
    "desk/audit/": "in 403 403 403 200",
    "desk/mail/": "in 403 403 200 200",
    "desk/mail/subscribers/": "in 403 403 200 200",
    "desk/mail/subscribers.csv": "in 403 403 200 200",
    "desk/mail/subscribers/<int:subscriber_id>/remove/": "in 403 403 405 405",
    "desk/mail/outbox/": "in 403 403 200 200",
    "desk/mail/digest/": "in 403 403 200 200",
    "desk/mail/test/": "in 403 403 405 405",
    "desk/fediverse/": "in 403 403 200 200",
    "desk/fediverse/profile/": "in 403 403 405 405",
    "desk/fediverse/followers/<int:follower_id>/": "in 403 403 405 405",
    "desk/fediverse/servers/<int:server_id>/": "in 403 403 405 405",
    "desk/worker/": "in 403 403 200 200",
    "desk/worker/retry/<uuid:result_id>/": "in 403 403 405 405",
    "admin/": "in in in 200 200",
    "admin/login/": "in 403 403 -> ->",
    "admin/logout/": "-> -> -> 405 405",
    "admin/password_change/": "in in in 200 200",
    "admin/password_change/done/": "in in in 200 200",
    "admin/jsi18n/": "in in in 200 200",
}  # fmt: skip

# Generated routes answer alike within their family: Django's admin (model pages and the task
# queue's dashboard under it). Each pattern is a regular expression over the route.
FAMILIES = {
    # Model pages: never for readers or moderators; editors are staff without model rights.
    r"admin/.+": r"in in in (403|404|->) (200|403|404|->)",
}

# Routes written as regular expressions: an address for each, filled from the world's values.
SAMPLES = {
    r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<slug>[^/]+)\.html$":
        "/{year}/{month}/{slug}.html",
    r"^[0-9]{4}/[0-9]{2}/[0-9]{2}/(?P<slug>[^/]+)/$": "/{year}/{month}/{day}/{slug}/",
    r"^(?P<year>[0-9]{4})_(?P<month>[0-9]{2})_(?P<day>[0-9]{2})_archive\.html$":
        "/{year}_{month}_{day}_archive.html",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": "/accounts/confirm-email/none/",
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$":
        "/accounts/password/reset/key/1-none/",
    r"admin/(?P<url>.*)$": "/admin/no-such-page/",
}  # fmt: skip


def routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


@pytest.fixture
def world(db, make_post, editor):
    post = make_post(headline="Ferry talks resume")
    comment = comment_submit(post=post, body="A first reply.", author_name="Wren", ip_hash="h1")
    story = Story.objects.create(title="Ferry talks", slug="ferry-talks")
    place = Place.objects.create(key="q1", name="Harbor Town", slug="harbor-town", kind="city")
    run = ImportRun.objects.create(name="site.jsonl", by=editor)
    feed = Feed.objects.create(url="https://harborledger.example/feed.atom")
    source = Source.objects.first()
    media = media_store(content=picture("PNG"), alt="A map")
    local = post.published_at
    values = {
        "year": str(local.year), "month": f"{local.month:02d}", "day": f"{local.day:02d}",
        "slug": post.slug, "post_id": post.pk, "comment_id": comment.pk, "story_id": story.pk,
        "run_id": run.pk, "feed_id": feed.pk, "source_id": source.pk, "media_id": media.pk,
        "outlet_id": post.clips.first().outlet_id, "action": "read", "name": "Northmark",
        "path": "none.jpg", "pk": 1, "id": editor.pk, "object_id": editor.pk,
        "content_type_id": 1, "queue_index": 0, "job_id": "none",
        "result_id": "00000000-0000-4000-8000-000000000000", "key": "none",
        "uid": "00000000-0000-4000-8000-000000000000", "follower_id": 1, "server_id": 1,
        "signed": "none", "token": "none", "what": "digest", "subscriber_id": 1,
        "scheduler_index": 0, "connection_index": 0, "scheduler_name": "none",
        "cron_job_name": "none", "app_label": "posts", "url": "none/",
    }  # fmt: skip
    slugs = {"label/": "northmark", "outlet/": post.clips.first().outlet.slug,
             "stories/": story.slug, "places/": place.slug}  # fmt: skip
    return values, slugs


def address(route: str, values: dict, slugs: dict) -> str:
    if route in SAMPLES:
        return SAMPLES[route].format(**values)
    if route.startswith("admin/^("):  # an admin app's index
        return "/admin/posts/"

    def fill(match):
        name = match.group(2)
        if name == "slug":
            for prefix, slug in slugs.items():
                if route.startswith(prefix):
                    return slug
        return str(values[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def answer(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        where = response["Location"]
        if where.startswith(("/accounts/login/", "/admin/login/")):  # the admin's leads there
            return "in"
        if where.startswith("/accounts/2fa/") and not where.startswith("/accounts/2fa/a"):
            return "2fa"
        return "->"
    return str(response.status_code)


@pytest.fixture
def people(db, editor):
    reader = User.objects.create_user("wren", password="reader-password-1")
    moderator = User.objects.create_user("heron", password="mod-password-1", is_moderator=True)
    owner = User.objects.create_superuser("owner", password="owner-password-1")
    return {"anonymous": None, "reader": reader, "moderator": moderator, "editor": editor,
            "owner": owner}  # fmt: skip


def expected(route: str) -> str | None:
    if route in TABLE:
        return TABLE[route]
    for pattern, answers in FAMILIES.items():
        if re.fullmatch(pattern, route):
            return answers
    return None


def holds(route: str, answers: str) -> bool:
    if route in TABLE:
        return TABLE[route] == answers
    return re.fullmatch(expected(route), answers) is not None


def test_every_route_answers_each_role_as_the_table_says(world, people):
    values, slugs = world
    client = Client(raise_request_exception=False)  # a 500 is an answer the table can show
    got, missing = {}, []
    for route in dict.fromkeys(routes()):
        path = address(route, values, slugs)
        answers = []
        for role in ROLES:
            client.logout()
            if people[role] is not None:
                client.force_login(people[role])
            answers.append(answer(client.get(path)))
        got[route] = " ".join(answers)
        if expected(route) is None:
            missing.append(route)
    assert not missing, f"routes without a row: {missing}"
    wrong = {r: (expected(r), a) for r, a in got.items() if not holds(r, a)}
    assert not wrong, f"(expected, got): {wrong}"
