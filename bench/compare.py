"""Run one benchmark against an earlier commit and the working tree in turn, in one run, so both
share the machine's state: before, after, before, after... (measured, not asserted).

    .venv/bin/python bench/compare.py REF [--rounds 2] -- SCRIPT [ARGS...]

e.g. `bench/compare.py ae8e335 -- bench/comment_post.py --seconds 10`. REF is checked out
into a temporary git worktree that borrows this checkout's .venv; its own copy of SCRIPT runs
with its own source first on PYTHONPATH (so `sitrep` and every process it starts are that
version). Each run's output is printed under its label; compare the figures as ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(tree: Path, script: str, args: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    result = subprocess.run(
        [sys.executable, str(tree / script), *args],
        cwd=tree, env=env, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout + (f"\n[exit {result.returncode}]\n{result.stderr[-2000:]}"
                            if result.returncode else "")  # fmt: skip


def main() -> None:
    if "--" not in sys.argv:
        raise SystemExit(__doc__)
    split = sys.argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("ref")
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args(sys.argv[1:split])
    script, args = sys.argv[split + 1], sys.argv[split + 2 :]
    with tempfile.TemporaryDirectory(prefix="sitrep-before-") as folder:
        before = Path(folder) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(before), options.ref],
                       cwd=ROOT, check=True)  # fmt: skip
        try:
            (before / ".venv").symlink_to(ROOT / ".venv")
            for n in range(1, options.rounds + 1):
                for label, tree in ((f"before ({options.ref})", before), ("after", ROOT)):
                    print(f"===== round {n}, {label}: {script} {' '.join(args)}", flush=True)
                    print(run(tree, script, args), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT)


if __name__ == "__main__":
    main()
