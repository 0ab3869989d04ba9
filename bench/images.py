"""Image sizes: how long a 24-megapixel photo takes from upload to every size ready, how many
such photos one worker process makes per second, and its peak memory (measured, not asserted).

    .venv/bin/python bench/images.py [--photos 5]

A new site (SQLite, a temporary data folder). Each photo is a different 6000 x 4000 JPEG with
camera metadata, as a phone or camera writes it. Each run happens in a process of its own, so
its peak memory (ru_maxrss) is that run's alone:
  - upload: media_store, what the editor's request does (decode, check, turn upright, drop the
    metadata, store the full size);
  - sizes: media_sizes, what the worker's task does (480-1600 px in AVIF, WebP and JPEG, and the
    1200 x 630 link card);
and, for the ratios in bench/README.md, the same sizes with AVIF at its default speed, and with
the JPEG decoded whole instead of at a reduced scale (draft, reduce).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import SITREP  # noqa: E402

# The photos are made by a process of their own: the measured one only reads their files.
MAKE = r"""
import io, random, sys
from pathlib import Path
from PIL import Image, ImageDraw


def photo(seed):
    rng = random.Random(seed)
    image = Image.effect_noise((1500, 1000), 48).convert("RGB").resize((6000, 4000))
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(6000), rng.randrange(4000)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(50, 600), y + rng.randrange(50, 400)), fill=colour)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 3.6), 3: "E", 4: (30.0, 31.0, 25.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


for seed in range(int(sys.argv[1])):
    (Path(sys.argv[2]) / f"{seed}.jpg").write_bytes(photo(seed))
"""

RUN = r"""
import json, resource, sys, time
from pathlib import Path
from PIL import Image
from sitrep.media import services
from sitrep.media.models import MediaFile

folder, step = Path(sys.argv[1]), sys.argv[2]
if step == "avif-default":
    services.ENCODE["AVIF"] = {"quality": 55}
if step == "no-draft":
    from PIL import JpegImagePlugin
    JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None
    Image.Image.reduce = lambda self, factor, box=None: self

base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times, total = [], 0
if step == "upload":
    MediaFile.objects.all().delete()
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        total += len(data)
        start = time.perf_counter()
        services.media_store(content=data)
        times.append(time.perf_counter() - start)
        del data
else:
    MediaFile.objects.update(sizes={})  # made again by each variant
    for media in MediaFile.objects.order_by("pk"):
        start = time.perf_counter()
        services.media_sizes(media=media)
        times.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"bytes": total // len(times) if total else 0, "times": times,
                  "peak_mb": peak / 1024, "before_mb": base / 1024}))
"""


def shell(env: dict, script: str, *args: str) -> str:
    argv = repr(["", *args])
    result = subprocess.run([SITREP, "shell", "-c", f"import sys; sys.argv = {argv}\n{script}"],
                            env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return result.stdout.strip()


def run(env: dict, folder: str, step: str) -> dict:
    return json.loads(shell(env, RUN, folder, step).splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SITREP_DATA_DIR": data, "SITREP_ENV": "production",
               "SITREP_SECRET_KEY": "bench-" + "x" * 40,
               "SITREP_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
        photos = Path(data) / "photos"
        photos.mkdir()
        shell(env, MAKE, str(args.photos), str(photos))
        results = {step: run(env, str(photos), step)
                   for step in ("upload", "sizes", "avif-default", "no-draft")}  # fmt: skip
    upload, sizes = results["upload"], results["sizes"]
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    ready = [u + s for u, s in zip(upload["times"], sizes["times"], strict=True)]
    print(f"{args.photos} photos of 24 MP, {upload['bytes'] / 2**20:.1f} MB each")
    print(
        f"upload (the web process): mean {mean(upload['times']):.2f} s, "
        f"peak memory {upload['peak_mb']:.0f} MB (before: {upload['before_mb']:.0f} MB)"
    )
    print(
        f"sizes (the worker): mean {mean(sizes['times']):.2f} s, "
        f"{1 / mean(sizes['times']):.2f} photos/s per worker process, "
        f"peak memory {sizes['peak_mb']:.0f} MB (before: {sizes['before_mb']:.0f} MB)"
    )
    print(f"upload to all sizes: mean {mean(ready):.2f} s, worst {max(ready):.2f} s")
    for step in ("avif-default", "no-draft"):
        ratio = mean(results[step]["times"]) / mean(sizes["times"])
        print(f"sizes with {step}: {mean(results[step]['times']):.2f} s "
              f"({ratio:.2f}x as built), peak {results[step]['peak_mb']:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
