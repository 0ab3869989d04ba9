"""Images safe to publish: no metadata in any size, upright, in the sizes and formats readers'
screens ask for; every broken or hostile file refused with a reason and nothing kept."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from sitrep.media import html as media_html
from sitrep.media.models import MediaFile
from sitrep.media.services import MediaRefused, media_sizes, media_store
from tests import images

pytestmark = pytest.mark.django_db

PILLOW = Path(__file__).resolve().parents[2] / ".venv" / "real-exports" / "pillow-images"
# What a file's metadata looks like in its bytes: EXIF (with its GPS block), XMP, IPTC in
# Photoshop's block, and the words we put there (the GPS position is inside the EXIF).
LEAKS = [b"Exif\0\0", b"http://ns.adobe.com/xap/", b"Photoshop 3.0", b"8BIM", b"SN-4471",
         b"Vera Holm"]  # fmt: skip


def gps_photo(size=(1800, 1200)) -> bytes:
    """A camera's photo: GPS position, serial number, photographer, XMP and IPTC, and an
    orientation tag saying it was taken with the camera turned (90 degrees clockwise)."""
    image = Image.new("RGB", size, (200, 200, 200))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1]), fill=(220, 20, 20))  # red left
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 clockwise to view
    exif[0x013B] = "Vera Holm"  # Artist
    exif[0xA431] = "SN-4471"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 3.6), 3: "E", 4: (30.0, 31.0, 25.2)}  # GPS
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           b'22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
           b'xmp:CreatorTool="SN-4471"/></rdf:RDF></x:xmpmeta>')  # fmt: skip
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=xmp, quality=90)
    data = out.getvalue()
    # IPTC rides in an APP13 "Photoshop 3.0" block: put one in after the SOI marker.
    iptc = b"\x1c\x02\x50\x00\x09Vera Holm"  # byline
    block = b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0" + len(iptc).to_bytes(4, "big") + iptc
    app13 = b"\xff\xed" + (len(block) + 2).to_bytes(2, "big") + block
    return data[:2] + app13 + data[2:]


def stored_files(media: MediaFile) -> dict[str, bytes]:
    return {name: default_storage.open(name).read() for name in media.names()}


def test_a_photo_with_gps_is_kept_upright_and_every_size_is_clean():
    original = gps_photo()
    assert all(leak in original for leak in LEAKS)  # the test photo carries them all
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[2] == (50.0, 27.0, 3.6)
    media = media_store(content=original, alt="A checkpoint at dawn")
    assert (media.width, media.height) == (1200, 1800)  # turned upright
    media_sizes(media=media)
    files = stored_files(media)
    assert len(files) == 1 + 3 * 3 + 1  # full size, 480, 800 and 1200 wide x 3 formats, the card
    for name, data in files.items():
        assert not [leak for leak in LEAKS if leak in data], name
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), name
            assert "xmp" not in image.info and "exif" not in image.info, name
            if name.endswith("-card.jpg"):
                continue  # cropped to the link preview's shape, around the middle
            # Upright: the red band that was on the left is now along the top.
            top = image.convert("RGB").getpixel((image.width // 2, 2))
            assert top[0] > 180 and top[1] < 80, (name, top)


def test_pillows_own_photos_with_metadata_come_out_clean_and_upright():
    for name in ("exif_gps.jpg", "iptc.jpg", "xmp_test.jpg", "photoshop-200dpi.jpg"):
        data = (PILLOW / name).read_bytes()
        media = media_store(content=data)
        media_sizes(media=media)
        for stored_name, stored in stored_files(media).items():
            with Image.open(io.BytesIO(stored)) as image:
                assert not image.getexif() and "xmp" not in image.info, (name, stored_name)
            assert b"8BIM" not in stored and b"Exif\0\0" not in stored, (name, stored_name)
    for n in range(2, 9):  # every orientation a camera writes
        turned = media_store(content=(PILLOW / f"hopper_orientation_{n}.jpg").read_bytes())
        with Image.open(PILLOW / "hopper.jpg") as upright:
            expected = upright.convert("RGB")
        with turned.file.open() as handle, Image.open(handle) as image:
            got = image.convert("RGB")
            assert got.size == expected.size
            # The same picture, not a mirrored or turned one (JPEG blurs pixels a little).
            assert _difference(got, expected) < 12, n


def _difference(a: Image.Image, b: Image.Image) -> float:
    small_a, small_b = a.resize((32, 32)), b.resize((32, 32))
    pairs = zip(small_a.get_flattened_data(), small_b.get_flattened_data(), strict=True)
    return sum(abs(x - y) for p, q in pairs for x, y in zip(p, q, strict=True)) / (32 * 32 * 3)


@pytest.mark.parametrize(
    ("fmt", "stored_type"),
    [
        ("JPEG", "image/jpeg"),
        ("PNG", "image/png"),
        ("WEBP", "image/webp"),
        ("AVIF", "image/avif"),
        ("GIF", "image/png"),
    ],  # fmt: skip
)
def test_each_format_a_browser_shows_is_taken(fmt, stored_type):
    media = media_store(content=images.picture(fmt, size=(900, 600)))
    assert media.content_type == stored_type and (media.width, media.height) == (900, 600)
    sizes = media_sizes(media=media)
    assert [w for w, _, _ in sizes["avif"]] == [480, 800, 900]  # no size wider than the file
    assert sizes["fallback"][0][2].endswith(".png" if stored_type == "image/png" else ".jpg")
    with default_storage.open(sizes["card"]) as handle, Image.open(handle) as card:
        assert card.size == (1200, 630) and card.format == "JPEG"


def test_a_short_animation_is_kept_as_it_is():
    frames = [Image.new("RGB", (120, 80), (n * 50, 90, 200 - n * 40)) for n in range(5)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0,
                   comment=b"SN-4471 Vera Holm")  # fmt: skip
    media = media_store(content=out.getvalue())
    assert media.animated and media.content_type == "image/gif"
    data = default_storage.open(media.file.name).read()
    assert b"SN-4471" not in data
    assert Image.open(io.BytesIO(data)).n_frames == 5
    assert media_sizes(media=media) == {}  # shown as it is
    assert 'src="/media/' in media_html.picture(media)


def test_pillows_corpus_of_broken_and_hostile_files_is_refused_cleanly():
    """Every file in Pillow's own test images either becomes a clean library image or is
    refused with a reason an editor can read; nothing else happens, and a refusal keeps
    nothing."""
    files = sorted(p for p in PILLOW.rglob("*") if p.is_file())
    assert len(files) > 1000
    refused, kept = {}, []
    for path in files:
        before = MediaFile.objects.count()
        try:
            kept.append(media_store(content=path.read_bytes()))
        except MediaRefused as exc:
            refused[path.name] = str(exc)
            assert MediaFile.objects.count() == before, path.name
    # The files made to attack decoders are among the refused, each for its reason.
    assert "decompression bomb" in refused["decompression_bomb.gif"]
    assert "decompression bomb" in refused["decompression_bomb_extents.gif"]
    assert refused["truncated_jpeg.jpg"].startswith("a damaged image")
    assert refused["hopper.tif"].startswith("a TIFF image")
    assert refused["hopper.bmp"].startswith("a BMP image")
    assert "not an image" in refused["hopper.ras"]
    # Files that once crashed or exhausted a decoder (fuzzers found them): all refused.
    crash = [path.name for path in files if path.name.startswith(("crash-", "oom-"))]
    assert crash and all(name in refused for name in crash)
    assert len(kept) > 300
    assert {media.content_type for media in kept} == {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"
    }  # fmt: skip
    for media in kept[::10]:  # what was kept decodes again, from the stored file alone
        with media.file.open() as handle, Image.open(handle) as image:
            image.load()


def test_svg_and_heic_are_refused_with_what_to_do():
    with pytest.raises(MediaRefused, match="SVG drawing, which can carry script; export it"):
        media_store(content=images.svg())
    with pytest.raises(MediaRefused, match="HEIC photo"):
        media_store(content=b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64)


def test_the_picture_offers_avif_and_webp_with_a_fallback_and_its_size():
    media = media_store(content=images.picture("JPEG", size=(2400, 1600)), alt="A bridge")
    assert "srcset" not in media_html.picture(media)  # before its sizes: the full size
    media_sizes(media=media)
    html = media_html.picture(media)
    assert html.startswith('<picture><source type="image/avif"')
    assert '<source type="image/webp"' in html
    assert 'width="2400" height="1600"' in html and 'alt="A bridge"' in html
    assert 'loading="lazy"' in html and "-1600w.avif 1600w" in html and "-480w.jpg 480w" in html
    assert 'fetchpriority="high"' in media_html.picture(media, eager=True)


def test_the_clock_queues_sizes_never_made_once_an_hour(worker):
    import datetime as dt

    from django.utils import timezone

    from sitrep.media.tasks import sizes_due

    old = media_store(content=images.picture("PNG", size=(600, 400)))
    MediaFile.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(hours=2))
    media_store(content=images.picture("JPEG"))  # new: its own task is on its way
    assert sizes_due() == 1
    assert sizes_due() == 0  # not again within the hour
    worker()
    assert MediaFile.objects.get(pk=old.pk).sizes["fallback"][0][0] == 480
