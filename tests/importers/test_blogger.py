import datetime as dt
import shutil

import pytest
from django.core.management import CommandError, call_command

from sitrep.comments.models import Comment
from sitrep.importers.load import import_file
from sitrep.importers.records import ImportFileError
from sitrep.posts.models import Post
from sitrep.search.selectors import search_posts
from tests.htmlcheck import assert_safe
from tests.importers.conftest import DATA

pytestmark = pytest.mark.django_db
REFERENCE_SHAPED = "/2017/06/the-last-battle-for-valley-will-be-at.html"


def test_report_counts_posts_comments_redirects_and_skipped_entries(imported):
    report = imported("blogger-classic.xml")
    assert (report.posts_new, report.posts_structured, report.comments_new) == (5, 2, 6)
    assert report.redirects == 4
    assert report.skipped == {"settings": 2, "template": 1}


def test_curated_post_becomes_clip_note_and_signature(imported):
    imported("blogger-classic.xml")
    post = Post.objects.get(headline="The Last Battle For The Valley Will Be At The Crossings")
    clip = post.clips.get()
    assert (clip.authors, clip.outlet.name) == ("Ilse Brandvold", "Meridian Wire")
    assert clip.source_headline == (
        "The final fight for the valley is likely to come at the river crossings"
    )
    assert clip.url == "https://meridianwire.example/2017/06/12/last-battle-crossings"
    assert clip.excerpt_html.count("<p>") == 3
    assert post.note == "I expect this by the end of the year."
    assert post.author.signature == "Desk Editor" and post.author.is_editor
    assert post.text == ""
    assert post.published_at == dt.datetime(2017, 6, 13, 11, 40, tzinfo=dt.UTC)
    assert sorted(label.name for label in post.labels.all()) == ["Kalder Valley", "Vessary"]


def test_round_up_keeps_every_clip_in_order(imported):
    imported("blogger-classic.xml")
    post = Post.objects.get(headline="Round-Up: Two Views Of The River")
    assert [(c.authors, c.outlet.name) for c in post.clips.all()] == [
        ("", "Lowland Times"),
        ("Jonah Okafor-Lind and Ada Ferrante", "Harbor Ledger"),
    ]


def test_unstructured_body_is_kept_as_sanitized_html(imported):
    imported("blogger-classic.xml")
    post = Post.objects.get(headline="A Note To Readers")
    assert post.clips.count() == 0 and post.text_format == "html"
    assert "<i>arguing</i>" in post.text_html
    assert '<img src="https://blogger.example/img/desk.jpg" alt="The desk">' in post.text_html
    assert_safe(post.text_html, {"p", "i", "img"})


def test_drafts_and_scheduled_posts_keep_their_state(imported, client):
    imported("blogger-classic.xml")
    draft = Post.objects.get(headline="Unfinished Draft About The Dam")
    assert draft.status == "draft"
    scheduled = Post.objects.get(headline="Scheduled For The Anniversary")
    assert scheduled.status == "scheduled"
    assert scheduled.author.signature == "Night Desk"


def test_comments_keep_author_kinds_times_and_reply_chain(imported, client):
    imported("blogger-classic.xml")
    post = Post.objects.get(headline__startswith="The Last Battle")
    comments = list(post.comments.order_by("created"))
    assert [c.display_name() for c in comments] == [
        "Harlan Vey",
        "Anonymous",
        "Unknown",
        "Tilde Marsh",
        "Harlan Vey",
        "Oskar Lunde",
    ]
    assert [c.author_kind for c in comments[:3]] == ["named", "anonymous", "account"]
    assert comments[3].parent == comments[2] and comments[4].parent == comments[3]
    assert comments[0].created == dt.datetime(2017, 6, 13, 12, 15, tzinfo=dt.UTC)
    post.refresh_from_db()
    assert post.comment_count == 6
    first = comments[0].body_html
    assert '<a href="https://lowland.example/news/convoy-leaves-tolsk"' in first
    assert comments[5].body_html == "<p>Source?</p>"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "6 comments" in page and f'class="comment depth-2" id="c{comments[4].pk}"' in page


def test_reimport_adds_nothing_and_a_newer_export_adds_only_what_is_new(imported, tmp_path):
    imported("blogger-classic.xml")
    again = imported("blogger-classic.xml")
    assert (again.posts_new, again.comments_new) == (0, 0)
    assert (again.posts_existing, again.comments_existing) == (5, 6)
    newer = (
        (DATA / "blogger-classic.xml")
        .read_text()
        .replace(
            "</feed>",
            """<entry><id>tag:blogger.com,1999:blog-7000.post-6007</id>
<published>2017-06-21T09:00:00.000-04:00</published>
<category scheme='http://schemas.google.com/g/2005#kind'
 term='http://schemas.google.com/blogger/2008/kind#comment'/>
<content type='html'>A late reply.</content><author><name>Anonymous</name></author>
<thr:in-reply-to ref='tag:blogger.com,1999:blog-7000.post-5001'/></entry></feed>""",
        )
    )
    (tmp_path / "newer.xml").write_text(newer)
    report = import_file(tmp_path / "newer.xml")
    assert (report.posts_new, report.comments_new, report.comments_existing) == (0, 1, 6)
    assert Comment.objects.count() == 7 and Post.objects.count() == 5


def test_imported_posts_are_searchable(imported):
    imported("blogger-classic.xml")
    hits, total = search_posts("decisive battle")
    assert total == 1 and hits[0].post.headline.startswith("The Last Battle")


def test_newer_blogger_schema(imported):
    report = imported("blogger-2018.xml")
    assert (report.posts_new, report.posts_structured, report.comments_new) == (2, 1, 3)
    assert report.skipped == {"page": 1}
    post = Post.objects.get(headline="Monitors Count The Guns")
    assert post.author.signature == "Night Editor" and post.note == "Numbers, at last."
    assert Post.objects.get(headline="Half-written").status == "draft"
    reply = Comment.objects.get(author_name="Tilde Marsh")
    assert reply.parent.author_kind == "anonymous"
    assert Comment.objects.get(author_name="Cheap Pills").status == "spam"
    post.refresh_from_db()
    assert post.comment_count == 2


@pytest.mark.parametrize("cut", [900, 3000, 7000])
def test_a_broken_file_says_where_and_writes_nothing(tmp_path, cut):
    broken = tmp_path / "broken.xml"
    broken.write_bytes((DATA / "blogger-classic.xml").read_bytes()[:cut] + b"<entry><oops></feed>")
    with pytest.raises(ImportFileError) as error:
        import_file(broken)
    assert error.value.line is not None and error.value.column is not None
    assert "not well-formed XML" in error.value.reason
    assert Post.objects.count() == 0 and Comment.objects.count() == 0


def test_an_entry_with_a_date_that_is_no_date_is_listed_and_the_rest_comes_in(tmp_path):
    text = (DATA / "blogger-classic.xml").read_text()
    last = text.rindex("<published>2017-06-25T06:00:00.000-04:00</published>")
    bad = text[:last] + "<published>someday</published>" + text[last + 52 :]
    (tmp_path / "bad.xml").write_text(bad)
    report = import_file(tmp_path / "bad.xml")
    entry_starts = bad.rindex("<entry>", 0, last)
    (skipped,) = [item for item in report.skipped_items if item.reason.startswith("its")]
    assert skipped.line == bad[:entry_starts].count("\n") + 1  # the entry with the bad date
    assert skipped.reason == "its publishing date 'someday' is not a date and time"
    assert f"line {skipped.line}: post “{skipped.title}”: its publishing date" in "\n".join(
        report.lines()
    )
    assert Post.objects.count() == report.posts_new == 4


def test_dates_padded_with_whitespace_are_read_as_real_exports_write_them(tmp_path):
    text = (DATA / "blogger-classic.xml").read_text()
    padded = text.replace(
        "<published>2017-06-13T07:40:00.000-04:00</published>",
        "<published>\n   2017-06-13T07:40:00.000-04:00\n </published>",
    )
    assert padded != text
    (tmp_path / "padded.xml").write_text(padded)
    import_file(tmp_path / "padded.xml")
    post = Post.objects.get(headline="The Last Battle For The Valley Will Be At The Crossings")
    assert post.published_at == dt.datetime(2017, 6, 13, 11, 40, tzinfo=dt.UTC)


def test_entity_bombs_are_refused_without_expanding(tmp_path):
    with pytest.raises(ImportFileError):
        import_file(DATA / "billion-laughs.xml")
    assert Post.objects.count() == 0


def test_command_line_import_and_its_error_message(tmp_path, capsys):
    shutil.copy(DATA / "blogger-classic.xml", tmp_path / "export.xml")
    call_command("import", "blogger", str(tmp_path / "export.xml"), "--no-progress")
    assert "posts: 5 new (2 structured into clips)" in capsys.readouterr().out
    (tmp_path / "broken.xml").write_text("<feed xmlns='http://www.w3.org/2005/Atom'><entry>")
    with pytest.raises(CommandError, match=r"line 1, column \d+: .*Nothing was imported"):
        call_command("import", "blogger", str(tmp_path / "broken.xml"), "--no-progress")
