"""Images that imported posts show come along: copied into the media library by the worker,
the posts pointed at the copies, the old address kept on record, failures listed."""

import pytest
from django.core.files.storage import default_storage

from sitrep.importers.images import image_urls, rewrite
from sitrep.importers.models import ImageCopy, ImportRun
from sitrep.importers.runs import import_run_execute
from sitrep.media.models import MediaFile
from sitrep.posts.models import Post
from tests.importers.conftest import DATA

pytestmark = pytest.mark.django_db


def export_with_images(tmp_path, web):
    """Our WordPress fixture with a post that shows images from a live (loopback) old host."""
    body = (
        f'<p>The map: <img src="{web.url("/images/map.png")}" alt="Front line"></p>'
        f'<p><a href="{web.url("/images/large.jpg")}"><img src="{web.url("/images/photo.jpg")}"'
        ' alt="The bridge"></a></p>'
        f'<p><img src="{web.url("/images/truncated.jpg")}" alt="Cut off"></p>'
        f'<p><img src="{web.url("/images/page.png")}" alt="Gone"></p>'
        '<p><img src="https://1.bp.blogspot.example/-x/s1600/map.jpg" alt="Reserved"></p>'
    )
    text = (DATA / "wordpress.xml").read_text()
    first = text.index("<content:encoded><![CDATA[") + len("<content:encoded><![CDATA[")
    end = text.index("]]></content:encoded>", first)
    (tmp_path / "export.xml").write_text(text[:first] + body + text[end:])
    return tmp_path / "export.xml"


def test_an_import_copies_its_images_and_points_the_posts_at_them(
    tmp_path, web, worker, django_capture_on_commit_callbacks
):
    path = export_with_images(tmp_path, web)
    with django_capture_on_commit_callbacks(execute=True):
        run = import_run_execute(run=ImportRun.objects.create(name="export.xml"), path=path)
    assert run.status == "done" and run.report["images"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        worker()
    copies = {c.url.rsplit("/", 1)[-1]: c for c in run.images.select_related("media")}
    assert {name for name, c in copies.items() if c.status == "copied"} == {
        "map.png",
        "large.jpg",
        "photo.jpg",
    }
    assert copies["truncated.jpg"].error.startswith("a damaged image")
    assert copies["page.png"].error.startswith("not an image")
    assert "reserved for examples" in copies["map.jpg"].error

    post = Post.objects.get(slug="sirens-over-the-harbour")
    for name in ("map.png", "large.jpg", "photo.jpg"):
        media = copies[name].media
        assert media.original_url == copies[name].url  # the old address on record
        assert f'"{media.url}"' in post.text and f'"{media.url}"' in post.text_html
        assert copies[name].url not in post.text
        assert default_storage.exists(media.file.name)
    # A failed image keeps its old address: the post is never broken by it.
    assert web.url("/images/truncated.jpg") in post.text_html
    assert MediaFile.objects.count() == 3

    # The worker stopping and running again fetches nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        from sitrep.importers.tasks import images_copy_task

        images_copy_task.call(run.pk)
    assert MediaFile.objects.count() == 3
    assert ImageCopy.objects.filter(status="waiting").count() == 0


def test_the_images_a_body_shows_and_links_to_are_found_and_rewritten():
    body = (
        '<a href="https://2.bp.blogspot.com/-a/s1600/big"><img src="//2.bp.blogspot.com/-a/s320/x"'
        ' /></a> <a href="https://news.example/story">a story</a>'
        ' <img src="https://old.example/wp-content/uploads/a.png?w=300&amp;h=200">'
    )
    urls = image_urls(body)
    assert urls == [
        "https://2.bp.blogspot.com/-a/s320/x",
        "https://old.example/wp-content/uploads/a.png?w=300&h=200",
        "https://2.bp.blogspot.com/-a/s1600/big",
    ]
    new = rewrite(body, {url: f"/media/{n}.png" for n, url in enumerate(urls)})
    assert 'href="/media/2.png"' in new and 'src="/media/0.png"' in new
    assert 'src="/media/1.png"' in new and 'href="https://news.example/story"' in new


def test_relative_images_are_taken_from_the_old_site(tmp_path):
    """Pelican's WordPress export shows its images by paths on the old site."""
    from tests.importers.test_real_exports import real

    run = ImportRun.objects.create(name="pelican-wordpress.xml")
    import_run_execute(run=run, path=real("pelican-wordpress.xml"))
    post = Post.objects.get(headline="Caption on image")
    assert 'src="http://thisisa.test/theme/img/xpelican-3.png' in post.text
    assert run.images.filter(url__startswith="http://thisisa.test/theme/img/").exists()


def test_relative_addresses_are_made_absolute_against_the_post():
    from sitrep.importers.images import absolutize

    body = '<img src="/img/a.png"><a href="b.html">b</a><a href="#top">t</a><a href="//x.org/c">'
    assert absolutize(body, "http://old.test/2017/06/post.html") == (
        '<img src="http://old.test/img/a.png"><a href="http://old.test/2017/06/b.html">b</a>'
        '<a href="#top">t</a><a href="//x.org/c">'
    )


def test_failed_images_can_be_tried_again_from_the_desk(
    tmp_path, web, worker, editor_client, django_capture_on_commit_callbacks
):
    url = web.url("/flaky-image.png?run=" + tmp_path.name)
    text = (DATA / "wordpress.xml").read_text()
    start = text.index("<content:encoded><![CDATA[") + len("<content:encoded><![CDATA[")
    (tmp_path / "e.xml").write_text(text[:start] + f'<img src="{url}" alt="x">' + text[start:])
    with django_capture_on_commit_callbacks(execute=True):
        run = import_run_execute(
            run=ImportRun.objects.create(name="e.xml"), path=tmp_path / "e.xml"
        )
    with django_capture_on_commit_callbacks(execute=True):
        worker()
    assert run.images.get().error.startswith("the server answered 503")
    page = f"/desk/import/{run.pk}/"
    assert "Try the failed images again" in editor_client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/desk/import/{run.pk}/images/retry/")
    assert response["Location"] == page
    with django_capture_on_commit_callbacks(execute=True):
        worker()
    image = run.images.get()
    assert image.status == "copied" and image.media.width == 64
