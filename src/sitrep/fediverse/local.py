"""The site's own account: its addresses, its key pair, and who it is to other servers."""

from __future__ import annotations

from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from sitrep.fediverse.models import LocalActor

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def enabled() -> bool:
    return settings.SITREP_FEDIVERSE


def absolute(path: str) -> str:
    """An address on this site as other servers reach it (SITREP_SITE_URL)."""
    return settings.SITREP_SITE_URL + path


def host() -> str:
    """The host in the site's handle: @news@example.org."""
    return urlsplit(settings.SITREP_SITE_URL).netloc


def handle() -> str:
    return f"@{settings.SITREP_FEDIVERSE_USERNAME}@{host()}"


def actor_uri() -> str:
    return absolute(reverse("fediverse_actor"))


def key_id() -> str:
    return actor_uri() + "#main-key"


def post_uri(post_id: int) -> str:
    return absolute(reverse("fediverse_post", args=[post_id]))


def comment_uri(comment_id: int) -> str:
    return absolute(reverse("fediverse_comment", args=[comment_id]))


def site_actor() -> LocalActor:
    """The site's account with its key pair, made the first time it is asked for."""
    actor = LocalActor.objects.filter(kind="site").first()
    if actor is not None:
        return actor
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    try:
        with transaction.atomic():
            return LocalActor.objects.create(kind="site", private_key=private, public_key=public)
    except IntegrityError:  # another process made it first
        return LocalActor.objects.get(kind="site")
