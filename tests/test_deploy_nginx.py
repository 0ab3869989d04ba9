"""deploy/nginx.conf in front of `sitrep serve`, as a site would run it: real nginx, real
gunicorn, a write from another process (the CLI), and a reader who must see it within a second."""

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITREP = str(Path(sys.executable).with_name("sitrep"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read().decode()


@pytest.fixture
def stack(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    env.update(SITREP_DATA_DIR=str(tmp_path / "data"), SITREP_SECRET_KEY="nginx-test",
               SITREP_FORWARDED_FOR="true", SITREP_PAGE_FILES="true")  # fmt: skip
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    subprocess.run([SITREP, "demo"], env=env, check=True, capture_output=True)
    app_port, web_port = free_port(), free_port()
    app = subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{app_port}"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = conf.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{web_port};")
    conf = conf.replace("/srv/sitrep/var/", f"{tmp_path}/data/")
    conf = conf.replace("/var/cache/nginx/sitrep", f"{tmp_path}/nginx-cache")
    # As root (CI), nginx's workers would drop to www-data and could not write under tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = (f"{user}daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
            f"events {{ worker_connections 256; }}\n"
            f"http {{ access_log off; client_body_temp_path {tmp_path}/body;\n"
            f"proxy_temp_path {tmp_path}/proxy;\n{conf}\n}}\n")  # fmt: skip
    (tmp_path / "nginx.conf").write_text(main)
    web = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf")])
    base = f"http://127.0.0.1:{web_port}"
    for _ in range(100):
        try:
            get(base + "/")
            break
        except OSError:
            time.sleep(0.2)
    yield base, env
    web.terminate()
    app.terminate()
    web.wait(10)
    app.wait(20)


def statuses(url, cookie=None, times=6):
    seen = set()
    for _ in range(times):
        seen.add(get(url, cookie)[0]["X-Cache-Status"])
        time.sleep(0.03)
    return seen


def test_nginx_serves_public_pages_itself_and_stays_fresh(stack):
    base, env = stack
    # The app writes each public page it serves nginx as a file of this second, which nginx
    # then sends itself (FILE) until the second ends.
    assert "FILE" in statuses(base + "/")
    # A CSRF cookie does not bypass it; a session (signed in) always reaches the app, and so
    # does a commenter's own-comment cookie (the app puts their edit links in).
    assert "FILE" in statuses(base + "/", "csrftoken=x" * 4)
    assert get(base + "/", "sessionid=abc")[0]["X-Cache-Status"] == "BYPASS"
    assert get(base + "/", "sitrep_own=1:x:y")[0]["X-Cache-Status"] == "BYPASS"
    # A query string has no file: nginx's microcache keeps it instead.
    assert "HIT" in statuses(base + "/?page=2")
    # A post page with its comment form is served as a file too.
    post_url = re.search(r'href="(/\d{4}/\d{2}/[^"]+/)" rel="bookmark"', get(base + "/")[1])[1]
    assert "FILE" in statuses(base + post_url, "csrftoken=x" * 4)
    # Another process publishes three times; a reader who keeps reloading (so nginx always
    # holds a copy) sees each within a second, through nginx.
    script = (
        "import time\n"
        "from sitrep.accounts.models import User\n"
        "from sitrep.posts.services import post_write, ClipData, Action\n"
        "for i in range(3):\n"
        "  post_write(post=None, author=User.objects.get(username='editor'),\n"
        "    headline=f'Breaking {i}: published from the command line', action=Action.PUBLISH,\n"
        "    clips=[ClipData(outlet_name='Meridian Wire', source_headline='S',\n"
        "    url=f'https://mw.example/{i}', excerpt='E.')])\n"
        "  print('published', time.time(), flush=True)\n"
        "  time.sleep(1.37)\n"
    )
    cli = subprocess.Popen([SITREP, "shell", "-c", script], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    seen = {}
    deadline = time.monotonic() + 60
    while len(seen) < 3 and time.monotonic() < deadline:
        asked = time.time()  # when the request went out: what a reader asked for then
        html = get(base + "/")[1]
        for i in range(3):
            if i not in seen and f"Breaking {i}: published" in html:
                seen[i] = asked
        time.sleep(0.02)
    out = cli.communicate(timeout=30)[0]
    published = [float(t) for t in re.findall(r"^published (\S+)$", out, re.M)]
    delays = [seen[i] - published[i] for i in range(3)]
    assert max(delays) < 1.05, f"not visible within a second: {delays}"  # (+ 20 ms polls)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_nginx_keeps_post_pages_for_readers_and_passes_their_comments(stack):
    base, _ = stack
    post_url = re.search(r'href="(/\d{4}/\d{2}/[^"]+/)" rel="bookmark"', get(base + "/")[1])[1]
    get(base + post_url)
    # One page for every reader, whatever cookies they carry: no Set-Cookie, no token.
    pages, seen = set(), []
    for cookie in (None, "csrftoken=" + "a" * 32, "sitrep_story_seen=1"):
        headers, html = get(base + post_url, cookie)
        seen.append(headers["X-Cache-Status"])
        assert "Set-Cookie" not in headers and "csrfmiddlewaretoken" not in html
        pages.add(re.sub(r'name="form_token" value="[^"]+"', "", html))
    assert len(pages) == 1 and {"HIT", "FILE"} & set(seen)
    # A comment posted from the page, through nginx (as a browser sends it: with its Origin).
    stamp = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    action = re.search(r'<form method="post" action="(/comments/post/\d+/)"', html)[1]
    time.sleep(3.2)  # people take seconds to write; the spam check counts them
    form = {"form_token": stamp, "author_name": "Test Reader", "honeypot": "",
            "body": "Posted through nginx from the shared page."}  # fmt: skip
    opener = urllib.request.build_opener(NoRedirect)

    def post(origin):
        request = urllib.request.Request(
            base + action, data=urllib.parse.urlencode(form).encode(),
            headers={"Origin": origin, "Sec-Fetch-Site": "same-origin" if origin == base
                     else "cross-site"})  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(request, timeout=10)
        return answer.value

    answer = post(base)
    assert answer.code == 302, answer.read().decode()[:2000]
    cookies = "; ".join(answer.headers.get_all("Set-Cookie"))
    messages = re.search(r"messages=[^;]+", cookies)[0]
    # With a message waiting the page comes from the app, with the message, never kept.
    headers, html = get(base + answer.headers["Location"], messages)
    assert headers["X-Cache-Status"] == "BYPASS"
    assert "Posted through nginx" in html or "once a moderator has approved it" in html
    # The same form sent from another site is refused.
    form["body"] = "Sent from elsewhere."
    assert post("https://elsewhere.example").code == 403


def test_nginx_serves_static_files_with_long_lifetimes(stack):
    base, _ = stack
    css = re.search(r'href="(/static/sitrep/css/site\.[0-9a-f]+\.css)"', get(base + "/")[1])[1]
    headers, body = get(base + css)
    assert "immutable" in headers["Cache-Control"] and ".post" in body


def test_page_files_carry_the_apps_headers_gzipped_copies_and_go_with_their_second(stack):
    base, env = stack
    post_url = re.search(r'href="(/\d{4}/\d{2}/[^"]+/)" rel="bookmark"', get(base + "/")[1])[1]
    while (answer := get(base + post_url))[0]["X-Cache-Status"] != "FILE":
        time.sleep(0.02)
    from_file, html = answer
    from_app = get(base + post_url, "sessionid=none")[0]  # no such session: the same page
    assert from_app["X-Cache-Status"] == "BYPASS"

    def comparable(headers):
        skip = {
            "date",
            "server",
            "content-length",
            "connection",
            "etag",
            "last-modified",
            "accept-ranges",
            "x-cache-status",
            "x-cache",
            "x-sitrep-public",
            "vary",
        }
        return {k.lower(): v for k, v in headers.items() if k.lower() not in skip}

    def varies(headers):
        return {v.strip() for value in headers.get_all("Vary") for v in value.split(",")}

    assert comparable(from_file) == comparable(from_app)
    assert varies(from_file) - {"Accept-Encoding"} == varies(from_app) - {"Accept-Encoding"}
    assert from_file["Content-Type"] == "text/html; charset=utf-8"
    # Browsers get the gzip copy the app wrote beside the page: the same page.
    request = urllib.request.Request(base + post_url, headers={"Accept-Encoding": "gzip"})
    while True:
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.headers["X-Cache-Status"] == "FILE":
                assert response.headers["Content-Encoding"] == "gzip"
                unzipped = gzip.decompress(response.read()).decode()
                break
        time.sleep(0.02)
    stamp = re.compile(r'name="form_token" value="[^"]+"')
    assert stamp.sub("", unzipped) == stamp.sub("", html) and "</html>" in unzipped
    # Each host name has files of its own: a page names its own address (its canonical link).
    port = base.rsplit(":", 1)[1]
    as_localhost = urllib.request.Request(base + post_url, headers={"Host": f"localhost:{port}"})
    for _ in range(100):
        with urllib.request.urlopen(as_localhost, timeout=10) as response:
            status, page = response.headers["X-Cache-Status"], response.read().decode()
        assert f'rel="canonical" href="http://localhost:{port}/' in page
        if status == "FILE":
            break
        time.sleep(0.02)
    assert status == "FILE"
    assert f'rel="canonical" href="http://127.0.0.1:{port}/' in get(base + post_url)[1]
    # Only the last few seconds' folders are kept, however long readers keep coming.
    pages = Path(env["SITREP_DATA_DIR"]) / "pages"
    for _ in range(6):
        asked = time.time()
        get(base + post_url)
        time.sleep(1)
    seconds = sorted(int(p.name) for p in pages.iterdir())
    # The newest folder is of the last request's second (or the one before, from nginx's own
    # copy), not of the moment after the sleep: a busy machine made that gap two seconds.
    assert 1 <= len(seconds) <= 5 and seconds[-1] >= int(asked) - 1


def test_nginx_serves_the_media_library_itself(stack):
    base, env = stack
    script = (
        "from sitrep.media.services import media_sizes, media_store\n"
        "from tests.images import picture\n"
        "stored = media_store(content=picture('PNG'))\n"
        "print('/media/' + media_sizes(media=stored)['avif'][0][2])\n"
        "print(stored.url)\n"
    )
    result = subprocess.run([SITREP, "shell", "-c", script], env={**env, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, check=True)  # fmt: skip
    avif, url = result.stdout.strip().splitlines()[-2:]
    with urllib.request.urlopen(base + avif, timeout=10) as response:  # a size the worker made
        assert response.headers["Content-Type"] == "image/avif"
        assert "immutable" in response.headers["Cache-Control"]
    request = urllib.request.Request(base + url)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "image/png"
        assert "immutable" in response.headers["Cache-Control"]
        assert "X-Cache-Status" not in response.headers  # nginx itself, not the app
        assert response.read()[:8] == b"\x89PNG\r\n\x1a\n"
