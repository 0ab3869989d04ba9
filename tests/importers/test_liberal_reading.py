"""What real files do that our own fixtures did not: two blogs with the same ids, keys from an
older sitrep, HTML entities without a DTD, and errors that say where."""

import pytest

from sitrep.importers.load import import_file
from sitrep.importers.models import ImportKey
from sitrep.importers.records import ImportFileError
from sitrep.posts.models import Post
from tests.importers.conftest import DATA

pytestmark = pytest.mark.django_db


def test_two_blogs_with_the_same_post_ids_both_come_in(tmp_path):
    first = import_file(DATA / "blogger-classic.xml")
    other = (DATA / "blogger-classic.xml").read_text().replace("blog-7000", "blog-7001")
    (tmp_path / "other.xml").write_text(other.replace("frontline-digest", "second-desk"))
    second = import_file(tmp_path / "other.xml")
    assert second.posts_new == first.posts_new == 5
    assert second.comments_new == first.comments_new
    assert Post.objects.count() == 10
    assert import_file(tmp_path / "other.xml").posts_new == 0


def test_two_wordpress_sites_with_the_same_ids_both_come_in(tmp_path):
    import_file(DATA / "wordpress.xml")
    other = (DATA / "wordpress.xml").read_text().replace("estuarywatch.example", "delta.example")
    (tmp_path / "other.xml").write_text(other)
    assert import_file(tmp_path / "other.xml").posts_new == 2


def test_a_site_imported_by_an_older_sitrep_gets_nothing_twice(editor):
    import_file(DATA / "blogger-classic.xml")
    # As an older sitrep kept them: the entry's id without its blog.
    for key in ImportKey.objects.all():
        key.key = key.key.rsplit(":", 1)[-1]
        key.save()
    again = import_file(DATA / "blogger-classic.xml")
    assert (again.posts_new, again.comments_new) == (0, 0)
    assert again.posts_existing == 5


def test_html_entities_in_a_file_without_a_dtd_are_read_as_html_means_them(tmp_path):
    text = (DATA / "wordpress.xml").read_text()
    text = text.replace("Sirens Over The Harbour &amp; What They Mean", "Caf&eacute; &mdash; Quay")
    (tmp_path / "entities.xml").write_text(text)
    import_file(tmp_path / "entities.xml")
    assert Post.objects.filter(headline="Café — Quay").exists()


def test_a_fault_in_the_xml_is_named_by_line_and_column(tmp_path):
    text = (DATA / "wordpress.xml").read_text().replace("</wp:post_name>", "</wp:post_nam>", 1)
    (tmp_path / "broken.xml").write_text(text)
    with pytest.raises(ImportFileError) as error:
        import_file(tmp_path / "broken.xml")
    line = text.splitlines()[error.value.line - 1]
    assert "</wp:post_nam>" in line
    # libxml2 points just past the end tag it could not match.
    assert error.value.column == line.index("</wp:post_nam>") + len("</wp:post_nam>") + 1
    assert str(error.value).startswith(f"line {error.value.line}, column {error.value.column}: ")
    assert Post.objects.count() == 0


def test_a_fault_found_by_line_only_gets_its_column(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"type": "sitrep-export", "version": 9}\n')
    with pytest.raises(ImportFileError) as error:
        import_file(tmp_path / "bad.jsonl", fmt="sitrep")
    assert (error.value.line, error.value.column) == (1, 1)


def test_an_import_that_fails_midway_leaves_the_site_as_it_was(tmp_path, make_post, monkeypatch):
    """Written in short transactions, still all or nothing: what the run wrote goes again."""
    from sitrep.accounts.models import User
    from sitrep.comments.models import Comment
    from sitrep.importers import writer
    from sitrep.posts.models import Label, Outlet

    make_post("Already here")
    before = {m: m.objects.count() for m in (Post, Comment, ImportKey, User, Outlet, Label)}
    real, calls = writer.posts_create, []

    def failing_posts_create(**kwargs):
        calls.append(kwargs["new"][0].headline)
        if len(calls) == 4:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(writer, "posts_create", failing_posts_create)
    monkeypatch.setattr(writer, "POST_BATCH", 1)  # a post at a time
    monkeypatch.setattr(writer, "TRANSACTION_SECONDS", 0)  # every record its own transaction
    with pytest.raises(RuntimeError):
        import_file(DATA / "blogger-classic.xml")
    assert len(calls) == 4 and Comment.objects.count() == before[Comment]
    assert {m: m.objects.count() for m in before} == before
    assert Post.objects.get().headline == "Already here"
