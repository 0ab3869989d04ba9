"""Reading a discussion: the thread of a post in one query, shaped for the page."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sitrep.comments.models import Ban, BlockedWord, Comment, DiscussionSettings, ModerationEvent
from sitrep.posts.models import Post

# Replies nest this deep; beyond it they line up under the deepest shown level with
# "in reply to NAME", because very deep nesting leaves no width to read on a phone.
MAX_DEPTH = 4
# A thread longer than this is paged: a breaking story can draw ten thousand comments, and a
# page of them must stay quick to render and to download (bench/README.md).
COMMENTS_PER_PAGE = 200

POLICY_KEY = "sitrep:discussion-policy"
BLOCKED_WORDS_KEY = "sitrep:blocked-words"
BANS_KEY = "sitrep:live-bans"


# Values every comment reads, kept in the cache until comments.receivers drops them on any save
# or delete of what they were read from; the lifetime is only a safety net.
UNTIL_CHANGED = 3600


def discussion_policy() -> DiscussionSettings:
    """The site's discussion settings (read by every comment and comment form)."""
    return cache.get_or_set(POLICY_KEY, DiscussionSettings.current, UNTIL_CHANGED)


def live_bans(now) -> dict[tuple[str, str], list[Ban]]:
    """(kind, value) -> bans not expired when this was read: every comment, and every post
    page a signed-in reader opens, asks whether they are banned."""

    def compute():
        bans = {}
        live = Ban.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        for ban in live.order_by("created"):
            bans.setdefault((ban.kind, ban.value), []).append(ban)
        return bans

    return cache.get_or_set(BANS_KEY, compute, UNTIL_CHANGED)


def blocked_words() -> list[str]:
    """The editors' blocked words and phrases."""
    words = lambda: list(BlockedWord.objects.values_list("word", flat=True))  # noqa: E731
    return cache.get_or_set(BLOCKED_WORDS_KEY, words, UNTIL_CHANGED)


@dataclass(frozen=True)
class History:
    """What the spam guard asks about a commenter before a comment is stored."""

    recent: int  # comments from this address within the rate window
    has_visible: bool  # a visible comment by this account (or address) already
    repeated: bool  # the same text posted lately, by anyone


def commenter_history(
    *, user_id: int | None, ip_hash: str, body_hash: str, recent_since, repeat_since
) -> History:
    """The three questions every screened comment asks, in one statement of index lookups
    (three ORM queries cost a POST more in building SQL than the database took to answer)."""
    table = connection.ops.quote_name(Comment._meta.db_table)
    since = connection.ops.adapt_datetimefield_value
    who, value = ("user_id", user_id) if user_id else ("ip_hash", ip_hash)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {table} WHERE ip_hash = %s AND ip_hash <> '' "
        f"AND created >= %s), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {who} = %s AND status = %s), "
        f"EXISTS (SELECT 1 FROM {table} WHERE body_hash = %s AND created >= %s)"
    )
    params = [ip_hash, since(recent_since), value, Comment.Status.VISIBLE.value, body_hash,
              since(repeat_since)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        recent, has_visible, repeated = cursor.fetchone()
    return History(recent, bool(has_visible), bool(repeated))


def own_key(user_id) -> str:
    return f"sitrep:own-comments:{user_id}"


def recent_own_comments(user_id: int, *, since) -> list[tuple[int, object]]:
    """(id, created) of an account's visible comments since `since` (its edit window): pages
    shared by every reader get this reader's edit links from it. Cached; comments.receivers
    drops it when any comment of the account is saved."""

    def read():
        rows = Comment.objects.filter(
            user_id=user_id, status=Comment.Status.VISIBLE, created__gte=since
        )
        return list(rows.values_list("pk", "created"))

    return cache.get_or_set(own_key(user_id), read, UNTIL_CHANGED)


def anonymous_own_comments(ids: list[int], *, since) -> set[int]:
    """Which of `ids` (from a browser's signed cookie) are still anonymous visible comments of
    the edit window. Written out: the ORM took longer to build this than SQL to answer it, on
    every post page a commenter gets (bench/README.md, "comment_post.py")."""
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))}) "
            "AND user_id IS NULL AND status = %s AND created >= %s",
            [*ids, Comment.Status.VISIBLE.value, connection.ops.adapt_datetimefield_value(since)],
        )
        return {pk for (pk,) in cursor.fetchall()}


# Stands in for a comment id in URLs and fragments made once per process, then filled per comment.
SENTINEL_ID = 987654321


@functools.cache
def _url_pattern(name: str) -> str:
    return reverse(name, args=[SENTINEL_ID])


def comment_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for the comment URLs a thread shows on every comment, from a
    pattern reversed once (200 comments a page, two or three URLs each)."""
    return _url_pattern(name).replace(str(SENTINEL_ID), str(pk))


@dataclass
class ThreadEntry:
    comment: Comment
    depth: int
    in_reply_to: Comment | None  # set when nesting was flattened, to keep the context visible
    changeable: bool = False  # its author may still edit or delete it
    parent_elsewhere: bool = False  # the comment replied to is on another page of the thread
    opens: str = ""  # markup before its <li>: see ThreadPage

    def __post_init__(self):
        self.id = str(self.comment.pk)
        self.level = str(self.depth)
        self.permalink = comment_url("comment_permalink", self.comment.pk)

    # Worked out here rather than in the template, once per comment and read as attributes:
    # the template only prints (template filters for the three dates were a fifth of a
    # 200-comment page's render time when the thread was a Django template).
    @functools.cached_property
    def created_local(self):
        return timezone.localtime(self.comment.created)

    @functools.cached_property
    def created_iso(self) -> str:
        return self.created_local.isoformat(timespec="seconds")

    @functools.cached_property
    def created_label(self) -> str:
        t = self.created_local
        noon = "AM" if t.hour < 12 else "PM"
        return f"{t:%B} {t.day}, {t.year} at {t.hour % 12 or 12}:{t:%M} {noon}"

    @functools.cached_property
    def created_unix(self) -> str:
        return str(int(self.comment.created.timestamp()))

    @functools.cached_property
    def in_reply_to_link(self) -> str:
        if self.parent_elsewhere:
            return comment_url("comment_permalink", self.in_reply_to.pk)
        return f"#c{self.in_reply_to.pk}"

    @functools.cached_property
    def flag_url(self) -> str:
        return comment_url("comment_flag", self.comment.pk)

    @functools.cached_property
    def moderate_url(self) -> str:
        return comment_url("comment_moderate", self.comment.pk)


@dataclass
class ThreadPage:
    """One page of a discussion. Replies sit inside their parent's list item, in a list of
    their own, so the nesting is in the markup and not only in the styling (WCAG 1.3.1): each
    entry's `opens` is the markup that comes before its <li> (closing what ends there, opening a
    reply list), and `closes` what ends after the last one."""

    entries: list[ThreadEntry]
    number: int
    num_pages: int
    closes: str = ""

    def __post_init__(self):
        open_items: list[list] = []  # [depth, has an open reply list] of each open <li>
        for entry in self.entries:
            markup = []
            while open_items and open_items[-1][0] >= entry.depth:
                _, has_replies = open_items.pop()
                markup.append("</ol></li>" if has_replies else "</li>")
            if open_items and not open_items[-1][1]:
                markup.append('<ol class="replies">')
                open_items[-1][1] = True
            entry.opens = "".join(markup)
            open_items.append([entry.depth, False])
        self.closes = "".join(
            "</ol></li>" if has_replies else "</li>" for _, has_replies in reversed(open_items)
        )

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1


Ordered = list[tuple[int, int | None, int]]  # (id, parent id, depth) per comment


def _reading_order(post, *, until: int | None = None) -> tuple[Ordered, int]:
    """(id, parent id, nesting depth) of the shown comments of `post` in reading order, the
    first `until` of them (all without it), and how many are shown in all.

    Reads two integers per comment, so even a 10,000-comment thread orders in a few
    milliseconds; the walk stops at the end of the page asked for. Replies to comments that
    are not shown (held, spam) become top-level.
    """
    # Written out: read from the comment_reading_order index alone, already in order; the
    # ORM's rows cost half as much again as the statement for a 20,000-comment thread.
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, parent_id FROM {table} WHERE post_id = %s AND status IN (%s, %s) "
            "ORDER BY created, id",
            [post.pk, Comment.Status.VISIBLE.value, Comment.Status.REMOVED.value],
        )
        rows = cursor.fetchall()
    shown = {pk for pk, _ in rows}
    top: list[int] = []  # in time order, as the rows come
    replies: dict[int, list[int]] = {}
    for pk, parent_id in rows:
        if parent_id is None or parent_id not in shown:
            top.append(pk)
        elif parent_id in replies:
            replies[parent_id].append(pk)
        else:
            replies[parent_id] = [pk]
    limit = len(rows) if until is None else min(until, len(rows))
    order: Ordered = []
    add = order.append
    for pk in top:  # each top-level comment, then its replies depth-first
        if len(order) >= limit:
            break
        add((pk, None, 0))
        if pk not in replies:
            continue
        stack = [(child, pk, 1) for child in reversed(replies[pk])]
        while stack and len(order) < limit:  # no recursion: chains may be deep
            entry = stack.pop()
            add(entry)
            child, _, depth = entry
            if child in replies:
                stack.extend(
                    [(grandchild, child, depth + 1) for grandchild in reversed(replies[child])]
                )
    return order, len(rows)


def page_count(total: int) -> int:
    return max(1, -(-total // COMMENTS_PER_PAGE))


def thread_page(post, number: int = 1) -> ThreadPage:
    """One page of the discussion of `post`: shown comments in reading order with depths.

    Two queries: the order (ids only), then the comments on the page with their authors.
    Numbers past the end give the last page.
    """
    number = max(1, number)
    order, total = _reading_order(post, until=number * COMMENTS_PER_PAGE)
    num_pages = page_count(total)
    number = min(number, num_pages)  # past the end, `order` is the whole thread
    rows = order[(number - 1) * COMMENTS_PER_PAGE : number * COMMENTS_PER_PAGE]
    return ThreadPage(_entries(rows), number, num_pages)


def _entries(rows) -> list[ThreadEntry]:
    on_page = {pk for pk, _, _ in rows}

    def context_parent(parent, depth):
        # Named when nesting was flattened, or when the parent sits on an earlier page.
        elsewhere = parent is not None and parent not in on_page
        return parent if depth > MAX_DEPTH or elsewhere else None

    named = {context_parent(parent, depth) for _, parent, depth in rows} - {None}
    comments = Comment.objects.filter(pk__in=on_page | named).select_related("user").in_bulk()
    return [
        ThreadEntry(
            comments[pk],
            min(depth, MAX_DEPTH),
            comments.get(context_parent(parent, depth)),
            parent_elsewhere=parent is not None and parent not in on_page,
        )
        for pk, parent, depth in rows
    ]


def thread_for_post(post) -> list[ThreadEntry]:
    """The whole discussion of `post`, unpaged."""
    return _entries(_reading_order(post)[0])


def comment_location(comment) -> str:
    """The address of the page of its post's discussion that shows `comment`, at the comment
    (it may cost a query or two: use it for one comment, never for a list)."""
    page = comment_page_number(comment)
    query = f"?comments={page}" if page > 1 else ""
    return f"{comment.post.get_absolute_url()}{query}#c{comment.pk}"


def comment_page_number(comment) -> int:
    """The page of its post's discussion that shows `comment` (1 for most threads)."""
    if comment.post.comment_count <= COMMENTS_PER_PAGE // 2:
        # Removed comments also take room, but a hundred of them in a short thread is not a
        # discussion anyone pages through; skip the ordering query for the common case.
        return 1
    shown = {Comment.Status.VISIBLE, Comment.Status.REMOVED}
    if comment.parent_id is None and comment.status in shown:
        # A top-level comment with none shown after it (one just posted, usually) comes last,
        # so its place is the number of comments shown (the post's kept count of visible ones
        # plus the removed ones) less those that belong behind it among the few written after
        # it. Both in one statement, so from one snapshot: the total on every row, and a row
        # without a comment when none came later. Counting every shown comment made each POST
        # to a busy thread slower as it grew. "created >= %s" stands on its own beside the OR
        # so that SQLite, which has no statistics on a new site, searches a range of the index
        # instead of reading the whole thread (both measured in bench/README.md).
        table = connection.ops.quote_name(Comment._meta.db_table)
        posts = connection.ops.quote_name(Post._meta.db_table)
        created = connection.ops.adapt_datetimefield_value(comment.created)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT total.n, later.id, later.parent_id FROM (SELECT "
                f"(SELECT comment_count FROM {posts} WHERE id = %s) + (SELECT COUNT(*) "
                f"FROM {table} WHERE post_id = %s AND status = %s) AS n) total "
                f"LEFT JOIN {table} later ON later.post_id = %s AND later.status IN (%s, %s) "
                f"AND later.created >= %s AND (later.created > %s OR later.id > %s) "
                f"ORDER BY later.created, later.id LIMIT %s",
                [comment.post_id, comment.post_id, Comment.Status.REMOVED.value,
                 comment.post_id, *sorted(shown), created, created, comment.pk,
                 _LATER_AT_MOST + 1],
            )  # fmt: skip
            rows = cursor.fetchall()
        count = rows[0][0]
        later = [(pk, parent) for _, pk, parent in rows if pk is not None]
        if not later:
            return page_count(count)
        if len(later) <= _LATER_AT_MOST:
            index = _place_before_later(comment, count, later, table, sorted(shown))
            return index // COMMENTS_PER_PAGE + 1
    for index, (pk, _, _) in enumerate(_reading_order(comment.post)[0]):
        if pk == comment.pk:
            return index // COMMENTS_PER_PAGE + 1
    return 1


# Comments posted after a top-level one while it was being posted (a busy thread under many
# commenters) are placed by their own few rows up to this many; more, and the thread is walked.
_LATER_AT_MOST = 500


def _place_before_later(comment, count: int, later: list, table: str, shown: list) -> int:
    """The index in reading order of the shown top-level `comment`, from `later`, the (id,
    parent id) of the comments shown after it in time, oldest first (never the whole thread):
    it is preceded by every shown comment but itself, its replies and the threads of later
    top-level comments. Whatever was written after it is one of those, or a reply within an
    earlier thread, and which one is decided by the comment's parent: a reply to a comment
    from before (shown) is in an earlier thread, a reply to one not shown stands at the top
    level (as _reading_order places it)."""
    after = {comment.pk}.union(pk for pk, _ in later)
    asked = {parent for _, parent in later if parent is not None and parent not in after}
    earlier_shown = set()
    if asked:
        marks = ", ".join(["%s"] * len(asked))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE id IN ({marks}) AND status IN (%s, %s)",
                [*sorted(asked), *shown],
            )
            earlier_shown = {pk for (pk,) in cursor.fetchall()}
    behind = {comment.pk}  # itself, its replies, and later threads: not before it
    for pk, parent in later:  # in time order, so a parent comes before its replies
        if (
            parent is None
            or parent in behind
            or (parent not in after and parent not in earlier_shown)
        ):
            behind.add(pk)
    return count - len(behind)


def removal_reasons(thread: list[ThreadEntry]) -> dict[int, str]:
    """comment id -> the moderator's reason for removing it (when the site shows its log)."""
    removed = [e.comment.pk for e in thread if e.comment.status == Comment.Status.REMOVED]
    reasons = {}
    events = ModerationEvent.objects.filter(comment_id__in=removed, action__in=["remove", "delete"])
    for comment_id, reason in events.order_by("created").values_list("comment_id", "reason"):
        reasons[comment_id] = reason
    return reasons
