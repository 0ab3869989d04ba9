"""Two-factor sign-in in a real browser: an editor turns on an authenticator app (TOTP), keeps
recovery codes and adds a passkey on Chromium's virtual authenticator (WebAuthn through the
DevTools protocol, as a phone's or a laptop's would answer); then signs in with each; and an
owner makes two factors mandatory for staff."""

import re

import pytest

from sitrep.accounts.models import SecurityPolicy
from tests.accounts.test_sign_in import totp_now
from tests.browser.conftest import axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page, live_server):
    page.goto(live_server.url + "/")
    page.click("header button:has-text('Sign out')")
    page.wait_for_url(live_server.url + "/")


def visit_confirming(page, live_server, path, password="desk-password-1"):
    """Open an account page that changes how one signs in: allauth asks for the password
    again first, and then goes on to the page."""
    page.goto(live_server.url + path)
    if "/accounts/reauthenticate/" in page.url:
        page.fill("#id_password", password)
        page.click("main button:has-text('Confirm')")
        page.wait_for_url(live_server.url + path)


def virtual_authenticator(page):
    """A platform authenticator that keeps passkeys and verifies its user (a fingerprint)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
               "hasUserVerification": True, "isUserVerified": True}  # fmt: skip
    return cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def test_editor_sets_up_every_factor_and_signs_in_with_each(page, live_server, editor):
    authenticator = virtual_authenticator(page)
    sign_in(page, live_server, "desk", "desk-password-1")

    # An authenticator app: the secret is shown beside the QR code; the app's code confirms it.
    visit_confirming(page, live_server, "/accounts/2fa/totp/activate/")
    assert axe(page) == []
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp_now(secret))
    page.click("main button:has-text('Activate')")
    page.wait_for_url(re.compile(r"/accounts/2fa/"))

    # Recovery codes come with it; each works once.
    visit_confirming(page, live_server, "/accounts/2fa/recovery-codes/")
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{8}", code) for code in codes)

    # A passkey, made by the (virtual) device and usable without a password.
    visit_confirming(page, live_server, "/accounts/2fa/webauthn/add/")
    page.fill("#id_name", "Desk laptop")
    page.check("#id_passwordless")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    assert "You have added 1 security key" in page.inner_text("main")
    page.goto(live_server.url + "/accounts/2fa/webauthn/")
    assert "Desk laptop" in page.inner_text("main")
    assert page.context.new_cdp_session(page).send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator}
    )["credentials"]

    # Password, then the app's code.
    sign_out(page, live_server)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "desk")
    page.fill("#id_password", "desk-password-1")
    page.click("main button:has-text('Sign in')")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert axe(page) == []
    page.fill("#id_code", totp_now(secret))
    page.click("main button:has-text('Sign In')")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/desk/")
    assert page.url == live_server.url + "/desk/"

    # Password, then a recovery code.
    sign_out(page, live_server)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "desk")
    page.fill("#id_password", "desk-password-1")
    page.click("main button:has-text('Sign in')")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("#id_code", codes[0])
    page.click("main button:has-text('Sign In')")
    page.wait_for_url(live_server.url + "/")

    # A passkey alone, from the sign-in page.
    sign_out(page, live_server)
    page.goto(live_server.url + "/accounts/login/")
    page.click("#passkey_login")
    page.wait_for_url(live_server.url + "/")
    assert "Night Editor" in page.inner_text("header")


def test_staff_without_a_second_factor_are_sent_to_set_one_up(page, live_server, editor):
    SecurityPolicy.objects.create(pk=1, staff_two_factors=True)
    sign_in(page, live_server, "desk", "desk-password-1")
    page.goto(live_server.url + "/desk/")
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    assert "asks its staff to sign in with two factors" in page.inner_text(".messages")
    assert axe(page) == []
    visit_confirming(page, live_server, "/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp_now(secret))
    page.click("main button:has-text('Activate')")
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    page.goto(live_server.url + "/desk/")
    assert page.url == live_server.url + "/desk/"


def test_account_pages_are_as_wide_as_a_form(page, live_server, reader):
    """A narrow page (sign-in, one's account) takes the reading column, not a few letters'
    width (a rule for small number boxes once shrank them to 4rem)."""
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("article.page").bounding_box()["width"] > 300
    sign_in(page, live_server, "kestrel", "reader-password-1")
    visit_confirming(page, live_server, "/accounts/2fa/totp/activate/", "reader-password-1")
    assert page.locator("article.page").bounding_box()["width"] > 300
    assert axe(page) == []
