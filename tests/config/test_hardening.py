import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_strict_content_security_policy(client, make_post):
    for url in ["/", make_post().get_absolute_url(), "/accounts/login/", "/no-such-page/"]:
        response = client.get(url)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_passwords_are_hashed_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from sitrep.config import settings as production  # the tests themselves use a fast hasher

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert Argon2PasswordHasher().encode("pw", "saltsaltsalt").startswith("argon2$argon2id$")


def test_a_good_sign_in_rotates_the_session(client, reader):
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.session.session_key
    client.post("/accounts/login/", {"login": "kestrel", "password": "reader-password-1"})
    assert client.session.session_key != before


def test_deploy_checks_are_clean_in_production_mode(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "DJANGO_"))}
    environ.pop("DATABASE_URL", None)
    environ.update(
        SITREP_DATA_DIR=str(tmp_path),
        SITREP_SECRET_KEY="x" * 20 + "a-long-random-production-secret-0123456789",
        SITREP_HTTPS="true",
        SITREP_ALLOWED_HOSTS="news.example.org",
    )
    result = subprocess.run(
        [str(Path(sys.executable).with_name("sitrep")), "check", "--deploy", "--fail-level",
         "WARNING"],
        env=environ, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_cookies_scripts_need_not_read_are_hidden_from_scripts(client, make_post):
    """What wapiti checks (make audit): the CSRF cookie is HttpOnly (forms carry the token) and
    browsers' old XSS filter is off (the Content Security Policy protects instead)."""
    response = client.get(make_post().get_absolute_url())
    assert response["X-XSS-Protection"] == "0"
    client.get("/accounts/login/")
    assert client.cookies["csrftoken"]["httponly"] is True
