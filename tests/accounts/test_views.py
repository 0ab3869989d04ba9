import re

import pytest
from django.core import mail

from sitrep.accounts.models import User

pytestmark = pytest.mark.django_db


def test_sign_up_with_a_public_name_and_comment_under_it(client, make_post):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "marisol",
            "public_name": "Marisol",
            "email": "",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="marisol").public_name == "Marisol"
    post = make_post()
    assert (
        "Commenting as <strong><span data-reader-name>Marisol</span></strong>"
        in client.get(post.get_absolute_url()).content.decode()
    )


def test_sign_up_refuses_an_editors_name(client, editor):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "impostor",
            "public_name": "Night Editor",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "belongs to an editor" in response.content.decode()
    assert not User.objects.filter(username="impostor").exists()


def test_sign_in_and_out(client, reader):
    response = client.post(
        "/accounts/login/", {"login": "kestrel", "password": "reader-password-1"}
    )
    assert response.status_code == 302
    assert "Sign out" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "Sign in" in client.get("/").content.decode()


def test_profile_change_of_public_name(client, reader):
    client.force_login(reader)
    client.post("/accounts/profile/", {"public_name": "Kes", "email": ""})
    reader.refresh_from_db()
    assert reader.public_name == "Kes"


def test_password_change(client, reader):
    client.force_login(reader)
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "reader-password-1",
            "password1": "another-passphrase-7",
            "password2": "another-passphrase-7",
        },
    )
    reader.refresh_from_db()
    assert reader.check_password("another-passphrase-7")


def test_password_reset_by_email(client, reader, worker, django_capture_on_commit_callbacks):
    reader.email = "kestrel@reader.example"
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "kestrel@reader.example"})
    assert not mail.outbox  # in the site's outbox, for the worker to send
    worker()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"password1": "fresh-passphrase-9", "password2": "fresh-passphrase-9"})
    reader.refresh_from_db()
    assert reader.check_password("fresh-passphrase-9")
