"""A post's images: in the editor's text and as its lead image, shown in the sizes the worker
made, in link previews, and replaced everywhere at once."""

import json
import re

import pytest

from sitrep.media.models import MediaFile
from sitrep.media.services import media_sizes, media_store
from sitrep.posts.models import Post
from sitrep.posts.services import posts_image_swap, posts_showing
from tests import images

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return media_store(content=images.picture("JPEG", size=(2000, 1200)),
                       alt="Ferry at the pier", caption="The morning ferry.",
                       credit="Photo: Harbor Ledger")  # fmt: skip


def test_an_image_in_the_editors_text_is_a_figure_with_its_caption_and_credit(make_post, photo):
    text = (
        f"Before.\n\n![The pier at dawn](/media/{photo.file.name})\n\nAfter, ![x](/media/nope.jpg)"
    )
    post = make_post(text=text)
    html = post.text_html
    assert "<p>Before.</p>" in html and "<p><figure" not in html
    assert '<figure class="image"><img src="/media/' in html
    assert 'alt="The pier at dawn"' in html and 'width="2000" height="1200"' in html
    assert '<span class="caption">The morning ferry.</span>' in html
    assert '<span class="credit">Photo: Harbor Ledger</span>' in html
    assert "After, x" in html  # an address that is no library image shows its alt text only
    assert list(post.images.all()) == [photo]
    assert list(posts_showing(photo)) == [post]


def test_outside_images_and_raw_html_never_reach_the_page(make_post):
    post = make_post(
        text='![tracker](https://ads.example/pixel.gif) <img src="https://x.example/a">'
    )
    assert "<img" not in post.text_html and "ads.example" not in post.text_html


def test_when_the_sizes_are_made_the_posts_showing_the_image_offer_them(make_post, photo):
    post = make_post(text=f"![The pier](/media/{photo.file.name})")
    assert "srcset" not in post.text_html
    media_sizes(media=photo)
    post.refresh_from_db()
    assert '<source type="image/avif" srcset="/media/' in post.text_html
    assert '<source type="image/webp"' in post.text_html and "1600w" in post.text_html


def test_the_lead_image_shows_first_and_in_link_previews(client, make_post, photo):
    media_sizes(media=photo)
    post = make_post("Ferry talks resume", lead_image=photo)
    page = client.get(post.get_absolute_url()).content.decode()
    article = page[page.index("<article") :]
    assert article.index('<figure class="image">') < article.index('class="clip"')
    assert 'fetchpriority="high"' in article  # on the first screen of its own page
    card = f"http://testserver/media/{photo.sizes['card']}"
    assert f'<meta property="og:image" content="{card}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:alt" content="Ferry at the pier">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert ld["image"] == {"@type": "ImageObject", "url": card, "width": 1200, "height": 630}


def test_a_post_without_an_image_keeps_the_small_card(client, make_post):
    page = client.get(make_post().get_absolute_url()).content.decode()
    assert '<meta name="twitter:card" content="summary">' in page and "og:image" not in page


def test_on_a_list_only_the_first_posts_images_load_at_once(client, make_post, photo):
    import datetime as dt

    from django.utils import timezone

    for n in range(3):
        make_post(f"Post {n}", lead_image=photo,
                  when=timezone.now() - dt.timedelta(hours=n + 1))  # fmt: skip
    page = client.get("/").content.decode()
    assert page.count("<figure") == 3
    assert page.count('fetchpriority="high"') == 1 and page.count('loading="lazy"') == 2
    first = page.index("Post 0")
    assert first < page.index('fetchpriority="high"') < page.index("Post 1")


def test_replacing_an_image_shows_the_new_one_everywhere(make_post, photo):
    in_text = make_post("In its text", text=f"![Pier](/media/{photo.file.name})")
    as_lead = make_post("As its lead", lead_image=photo)
    new = media_store(content=images.picture("PNG", size=(800, 600)), alt="A better map")
    changed = posts_image_swap(old=photo, new=new)
    assert {p.pk for p in changed} == {in_text.pk, as_lead.pk}
    in_text.refresh_from_db()
    assert f"/media/{new.file.name}" in in_text.text and photo.file.name not in in_text.text_html
    assert list(in_text.images.all()) == [new]
    assert Post.objects.get(pk=as_lead.pk).lead_image == new
    assert not posts_showing(photo).exists()
    assert MediaFile.objects.filter(pk=photo.pk).exists()  # the caller deletes it


def test_an_imported_bodys_copies_are_shown_in_their_sizes(make_post, photo):
    from sitrep.posts.services import post_text_replace

    media_sizes(media=photo)
    post = make_post(text_format=Post.TextFormat.HTML)
    html = f'<p>From the old blog:</p><img src="/media/{photo.file.name}" alt="The old pier">'
    post = post_text_replace(post=post, text=html)
    assert '<picture><source type="image/avif"' in post.text_html
    assert 'alt="The old pier"' in post.text_html and 'width="2000" height="1200"' in post.text_html
    assert list(post.images.all()) == [photo]
    outside = post_text_replace(post=post, text='<img src="https://old.example/a.jpg" alt="a">')
    assert '<img src="https://old.example/a.jpg" alt="a">' in outside.text_html


def test_feeds_carry_the_pictures_with_whole_addresses(client, make_post, photo):
    media_sizes(media=photo)
    make_post("Ferry talks resume", lead_image=photo,
              text=f"![The pier](/media/{photo.file.name})")  # fmt: skip
    feed = client.get("/feeds/posts.atom").content.decode()
    assert f'src="http://testserver/media/{photo.sizes["fallback"][1][2]}"' in feed
    assert "http://testserver/media/" in feed and '"/media/' not in feed and " /media/" not in feed
