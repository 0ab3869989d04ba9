"""Attacks nobody here wrote, against a throwaway site: wapiti (Debian) crawls and attacks it
anonymously and signed in as an editor; sqlmap (Debian) tries SQL injection on the search box,
the comment form, the subscribe form and the desk's filters. `make audit` runs this.

    .venv/bin/python tools/audit.py [--minutes 2] [--out var/audit]

The reports go to --out (under var/, which git ignores). Exits 1 on any wapiti finding of
medium severity or above, any server error wapiti provoked, or any injection sqlmap found;
prints each with where to read more.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import _shell, running_site  # noqa: E402

MEDIUM = 2  # wapiti's levels: 1 low, 2 medium, 3 high, 4 critical


def editor_session() -> str:
    """A signed-in session of the demo editor on the running site (its cookie value)."""
    script = (
        "from django.test import Client\n"
        "from sitrep.accounts.models import User\n"
        "client = Client()\n"
        "client.force_login(User.objects.get(username='editor'))\n"
        "print(client.cookies['sessionid'].value)\n"
    )
    return _shell(script)


def wapiti(base: str, out: Path, name: str, minutes: float, cookie: str = "") -> list[str]:
    """Crawl and attack: anonymously the whole site; as the editor the desk, whose folder
    leaves out the sign-out (Debian's wapiti 3.0.4 cannot exclude addresses on Python 3.11:
    its patterns do not compile)."""
    report = out / f"wapiti-{name}.json"
    start = base + ("/desk/" if cookie else "/")
    args = ["wapiti", "-u", start, "--scope", "folder", "-f", "json", "-o", str(report),
            "--flush-session", "--max-scan-time", str(int(minutes * 60)),
            "--max-attack-time", str(int(minutes * 60 / 4)), "-d", "4",
            "--max-links-per-page", "40", "--verify-ssl", "0", "-v", "1"]  # fmt: skip
    if cookie:
        args += ["-H", f"Cookie: sessionid={cookie}"]
    done = subprocess.run(args, capture_output=True, text=True)
    (out / f"wapiti-{name}.log").write_text(done.stdout + done.stderr)
    if not report.exists():
        return [f"wapiti ({name}) wrote no report; see {out}/wapiti-{name}.log"]
    found = json.loads(report.read_text())
    problems = []
    for kind, items in found.get("vulnerabilities", {}).items():
        for item in items:
            if int(item.get("level", 0)) >= MEDIUM:
                problems.append(f"wapiti ({name}): {kind} at {item['method']} {item['path']} "
                                f"{item.get('parameter', '')}: {item.get('info', '')}")  # fmt: skip
    for kind, items in found.get("anomalies", {}).items():
        for item in items:
            problems.append(f"wapiti ({name}): {kind} at {item['method']} {item['path']} "
                            f"{item.get('parameter', '')}")  # fmt: skip
    # With -v 1 wapiti prints each address it crawls: the signed-in scan must have got in.
    crawled = set(re.findall(r"\[\+\] (?:GET|POST) (\S+)", done.stdout))
    inside = [url for url in crawled if url.startswith(start) and url != start]
    if cookie and len(inside) < 5:
        problems.append(f"wapiti ({name}): only {len(inside)} pages found under {start}")
    print(f"wapiti ({name}): {len(crawled)} addresses crawled; report {report}")
    return problems


def sqlmap(out: Path, name: str, url: str, *, data: str = "", params: str, cookie: str = "",
           headers: str = "") -> list[str]:  # fmt: skip
    args = ["sqlmap", "-u", url, "-p", params, "--batch", "--level", "3", "--risk", "2",
            "--output-dir", str(out / "sqlmap"), "--flush-session", "--disable-coloring",
            "--technique=BEUST"]  # fmt: skip
    if data:
        args += ["--data", data]
    if cookie:
        args += ["--cookie", cookie]
    if headers:
        args += ["--headers", headers]
    done = subprocess.run(args, capture_output=True, text=True)
    log = out / f"sqlmap-{name}.log"
    log.write_text(done.stdout + done.stderr)
    injectable = re.findall(r"Parameter: (\S+) \((GET|POST)\)", done.stdout)
    print(f"sqlmap ({name}): {'INJECTABLE ' + str(injectable) if injectable else 'no injection'}"
          f"; log {log}")  # fmt: skip
    return [f"sqlmap ({name}): injection in {p} ({m})" for p, m in injectable]


def comment_form(base: str, post: str) -> tuple[str, str]:
    """The busy post's comment form: its address and fields, as a browser would send them."""
    page = urllib.request.urlopen(base + post, timeout=10).read().decode()
    action = re.search(r'action="(/comments/post/\d+/)"', page).group(1)
    token = re.search(r'name="form_token" value="([^"]*)"', page).group(1)
    data = urllib.parse.urlencode({"body": "A reader's view of the talks.",
                                   "author_name": "Wren", "form_token": token})  # fmt: skip
    return base + action, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2, help="per wapiti scan")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "audit")
    args = parser.parse_args()
    missing = [tool for tool in ("wapiti", "sqlmap") if not shutil.which(tool)]
    if missing:
        sys.exit(f"needs {' and '.join(missing)}: apt-get install wapiti sqlmap")
    args.out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with running_site() as (base, post):
        session = editor_session()
        problems += wapiti(base, args.out, "anonymous", args.minutes)
        problems += wapiti(base, args.out, "editor", args.minutes, cookie=session)
        editor = f"sessionid={session}"
        problems += sqlmap(args.out, "search", base + "/search/?q=bridge", params="q")
        action, data = comment_form(base, post)
        same_origin = f"Sec-Fetch-Site: same-origin\nOrigin: {base}"
        problems += sqlmap(args.out, "comment-form", action, data=data,
                           params="body,author_name", headers=same_origin)  # fmt: skip
        problems += sqlmap(args.out, "subscribe-form", base + "/mail/subscribe/",
                           data="email=wren%40reader.example&digest=1", params="email",
                           headers=same_origin)  # fmt: skip
        problems += sqlmap(args.out, "desk-subscribers", base + "/desk/mail/subscribers/?q=wren",
                           params="q", cookie=editor)  # fmt: skip
        problems += sqlmap(args.out, "desk-posts", base + "/desk/?status=published",
                           params="status", cookie=editor)  # fmt: skip
        problems += sqlmap(args.out, "desk-comments", base + "/desk/comments/?status=visible",
                           params="status", cookie=editor)  # fmt: skip
        problems += sqlmap(args.out, "desk-inbox",
                           base + "/desk/inbox/?state=all&feed=1&outlet=1&q=ferry",
                           params="state,feed,outlet,q", cookie=editor)  # fmt: skip
    for problem in problems:
        print(problem)
    print(f"{len(problems)} finding(s) of medium severity or above; reports in {args.out}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
