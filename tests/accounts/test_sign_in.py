"""Sign-in under attack: failed tries wait per account and address together, so a guesser can
never keep the account's owner out; two factors for staff (TOTP, recovery codes) and the site
setting that requires them; the list of one's sessions and signing out everywhere."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.test import Client

from sitrep.accounts.models import SecurityPolicy

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.66"
EDITOR_HOME = "203.0.113.20"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_now(secret: str = SECRET, *, at: float | None = None) -> str:
    """The six digits an authenticator app shows now (RFC 6238, SHA-1, 30 s), written here
    rather than taken from the library under test."""
    key = base64.b32decode(secret)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in(client, username, password, address):
    return client.post(
        "/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_guesser_cannot_keep_the_editor_out(editor):
    attacker, owner = Client(), Client()
    for _ in range(4):
        wrong = sign_in(attacker, "desk", "guess", ATTACKER)
        assert wrong.status_code == 200
        assert "username and/or password you specified are not correct" in wrong.content.decode()
    assert sign_in(attacker, "desk", "guess", ATTACKER).status_code == 429  # the fifth
    locked = sign_in(attacker, "Desk ", "desk-password-1", ATTACKER)  # even the right one
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session

    from_home = sign_in(owner, "desk", "desk-password-1", EDITOR_HOME)
    assert from_home.status_code == 302
    assert owner.get("/desk/", REMOTE_ADDR=EDITOR_HOME).status_code == 200

    again = sign_in(attacker, "desk", "desk-password-1", ATTACKER)
    assert again.status_code == 429  # the attacking address stays throttled


def test_one_address_trying_many_accounts_is_throttled(reader):
    guesser = Client()
    for n in range(20):
        sign_in(guesser, f"guess{n}", "wrong", ATTACKER)
    refused = sign_in(guesser, "kestrel", "reader-password-1", ATTACKER)
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in guesser.session
    elsewhere = sign_in(Client(), "kestrel", "reader-password-1", EDITOR_HOME)
    assert elsewhere.status_code == 302


def test_the_second_factor_is_asked_and_checked(editor):
    TOTP.activate(editor, SECRET)
    client = Client()
    first = sign_in(client, "desk", "desk-password-1", EDITOR_HOME)
    assert first.status_code == 302 and first["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/desk/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert right.status_code == 302
    assert client.get("/desk/").status_code == 200


def test_a_recovery_code_signs_in_once(editor):
    TOTP.activate(editor, SECRET)
    code = RecoveryCodes.activate(editor).get_unused_codes()[0]
    client = Client()
    sign_in(client, "desk", "desk-password-1", EDITOR_HOME)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/desk/").status_code == 200

    again = Client()
    sign_in(again, "desk", "desk-password-1", EDITOR_HOME)
    used = again.post("/accounts/2fa/authenticate/", {"code": code})
    assert "Incorrect code" in used.content.decode()
    assert again.get("/desk/").status_code == 302


def test_the_site_can_require_two_factors_of_its_staff(editor, reader, client):
    client.force_login(editor)
    assert client.get("/desk/").status_code == 200  # optional by default (the demo editor)
    SecurityPolicy.objects.create(pk=1, staff_two_factors=True)
    sent = client.get("/desk/", follow=True)
    assert sent.redirect_chain[-1][0] == "/accounts/2fa/"
    assert "asks its staff to sign in with two factors" in sent.content.decode()
    assert client.get("/admin/").status_code == 302
    TOTP.activate(editor, SECRET)
    assert client.get("/desk/").status_code == 200
    client.force_login(reader)  # readers are not asked
    assert client.get("/accounts/profile/").status_code == 200


def test_owners_set_the_policy_in_the_desk(editor, client, django_user_model):
    client.force_login(editor)
    assert client.get("/desk/security/").status_code == 403  # editors may not
    owner = django_user_model.objects.create_superuser("owner", password="owner-password-1")
    TOTP.activate(owner, SECRET)
    client.force_login(owner)
    page = client.get("/desk/security/").content.decode()
    assert "<td>desk</td><td>editor</td><td>–</td>" in page
    assert "<td>owner</td><td>owner</td><td>on</td>" in page
    client.post("/desk/security/", {"staff_two_factors": "on"})
    assert SecurityPolicy.current().staff_two_factors
    assert client.get("/desk/").status_code == 200  # the owner has a factor
    assert Authenticator.objects.filter(user=owner).count() == 1


def test_signed_in_devices_are_listed_and_signed_out_everywhere(reader):
    phone, laptop = Client(HTTP_USER_AGENT="Phone browser"), Client(HTTP_USER_AGENT="Laptop")
    sign_in(phone, "kestrel", "reader-password-1", EDITOR_HOME)
    sign_in(laptop, "kestrel", "reader-password-1", "192.0.2.5")
    assert UserSession.objects.filter(user=reader).count() == 2
    listed = laptop.get("/accounts/sessions/").content.decode()
    assert "Phone browser" in listed and "Laptop" in listed
    laptop.post("/accounts/sessions/")  # "Sign out other sessions"
    assert phone.get("/accounts/profile/").status_code == 302  # signed out
    assert laptop.get("/accounts/profile/").status_code == 200


def test_a_new_password_signs_out_other_sessions(reader):
    phone, laptop = Client(), Client()
    sign_in(phone, "kestrel", "reader-password-1", EDITOR_HOME)
    sign_in(laptop, "kestrel", "reader-password-1", EDITOR_HOME)
    changed = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": "reader-password-1", "password1": "a-new-passphrase-4",
         "password2": "a-new-passphrase-4"},
    )  # fmt: skip
    assert changed.status_code == 302
    assert laptop.get("/accounts/profile/").status_code == 200
    assert phone.get("/accounts/profile/").status_code == 302


def test_the_admin_signs_in_through_the_site_with_its_second_factor(editor):
    TOTP.activate(editor, SECRET)
    client = Client()
    sent = client.get("/admin/login/?next=/admin/")
    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/login/")
    password_only = client.post(
        "/admin/login/", {"username": "desk", "password": "desk-password-1"}
    )
    assert password_only.status_code == 302 and "_auth_user_id" not in client.session
