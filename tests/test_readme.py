"""The newcomer's path: every `sitrep` command in the README, as written, in a folder laid out
as `make run` leaves it (.env with the secret key, data in ./var), with nothing exported: none
ends in a traceback, and each does what its line says."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITREP = str(Path(sys.executable).with_name("sitrep"))
REAL = ROOT / ".venv" / "real-exports"


def readme_commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    lines = [line.split("  #")[0].split() for block in blocks for line in block.splitlines()]
    return [line[1:] for line in lines if line and line[0] == ".venv/bin/sitrep"]


def test_every_readme_command_works_after_make_run(tmp_path, own_site_env):
    environ = {k: v for k, v in own_site_env.items() if k != "SITREP_DATA_DIR"}
    (tmp_path / ".env").write_text("SITREP_SECRET_KEY=written-by-make-run\n")  # as make run does
    # The files the README's examples name, from real exports and our fixtures.
    shutil.copy(REAL / "pelican-blogger.xml", tmp_path / "blog-backup.xml")
    shutil.copy(REAL / "nikola-wordpress.xml", tmp_path / "wordpress.xml")
    shutil.copy(REAL / "isso-disqus.xml", tmp_path / "disqus.xml")
    shutil.copy(ROOT / "tests" / "data" / "web" / "feeds.opml", tmp_path / "sources.opml")

    def run(args, timeout=180):
        return subprocess.run([SITREP, *args], cwd=tmp_path, env=environ, capture_output=True,
                              text=True, timeout=timeout)  # fmt: skip

    for setup in (["migrate", "--no-input"], ["demo"]):  # what make run does first
        assert run(setup).returncode == 0
    commands = readme_commands()
    assert len(commands) >= 12
    for args in commands:
        if args == ["worker"]:  # runs until stopped: it must start and keep running
            out = subprocess.PIPE
            with subprocess.Popen([SITREP, *args], cwd=tmp_path, env=environ, stdout=out,
                                  stderr=subprocess.STDOUT, text=True) as worker:  # fmt: skip
                try:
                    exited = worker.wait(timeout=8)
                except subprocess.TimeoutExpired:
                    exited = None
                worker.terminate()  # it finishes the tasks in hand first (the demo queued some)
                try:
                    output = worker.communicate(timeout=20)[0]
                except subprocess.TimeoutExpired:
                    worker.kill()
                    output = worker.communicate()[0]
            assert exited is None and "Traceback" not in output, output
            continue
        result = run(args)
        said = result.stdout + result.stderr
        assert "Traceback" not in said, (args, said)
        # Only the example addresses may fail (reserved names resolve nowhere), in one line.
        if args[:2] == ["feeds", "add"]:
            assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
        else:
            assert result.returncode == 0, (args, said)
    assert (tmp_path / "var" / "sitrep.sqlite3").exists() or "DATABASE_URL" in environ
    assert (tmp_path / "site.jsonl").exists() and (tmp_path / "site.backup").exists()
