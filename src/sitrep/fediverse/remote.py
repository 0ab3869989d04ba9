"""Accounts and servers elsewhere: fetched through core.http.fetch (public addresses only, size
and time limits), kept, and fetched again when a signature no longer matches their key."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urldefrag, urlsplit

from django.utils import timezone

from sitrep.core.http import FetchError, fetch
from sitrep.fediverse import local
from sitrep.fediverse.models import RemoteActor, Server
from sitrep.fediverse.signatures import sign

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_DOCUMENT = 1024 * 1024
# A key is trusted this long before it is fetched again; a signature that fails against a key
# older than a minute makes us fetch it at once (the account rotated its key).
KEY_FRESH = dt.timedelta(days=1)
REFETCH_AFTER = dt.timedelta(minutes=1)


class RemoteError(Exception):
    """Why an account elsewhere could not be used."""


def signed_get(method, url, headers, body):
    """Sign our GETs: servers in "authorized fetch" mode answer only those."""
    actor = local.site_actor()
    return sign(method, url, headers, body, key_id=local.key_id(), private_pem=actor.private_key)


def get_json(url: str) -> dict:
    try:
        response = fetch(url, accept=ACCEPT, max_bytes=MAX_DOCUMENT, timeout=10, sign=signed_get)
    except FetchError as exc:
        raise RemoteError(f"{url}: {exc}") from None
    try:
        document = json.loads(response.content)
    except ValueError:
        raise RemoteError(f"{url}: the answer is not JSON") from None
    if not isinstance(document, dict):
        raise RemoteError(f"{url}: the answer is not a JSON object")
    return document


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def server_for(url: str) -> Server:
    server, _ = Server.objects.get_or_create(host=host_of(url))
    return server


def same_origin(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


def actor_get(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The account at `uri`, from what we kept, or fetched (again, with `refresh`)."""
    uri = urldefrag(uri).url
    known = RemoteActor.objects.select_related("server").filter(uri=uri).first()
    if known and not refresh and timezone.now() - known.fetched < KEY_FRESH:
        return known
    return actor_store(get_json(uri), fetched_from=uri)


def actor_store(document: dict, *, fetched_from: str) -> RemoteActor:
    """Keep what an actor document says. Its id must be where it was fetched from, and its
    key must be its own, so that no server speaks for another's accounts."""
    uri = document.get("id")
    if not isinstance(uri, str) or urldefrag(uri).url != urldefrag(fetched_from).url:
        raise RemoteError(f"{fetched_from}: the document's id is not its address")
    inbox = document.get("inbox")
    if not isinstance(inbox, str) or not same_origin(inbox, uri):
        raise RemoteError(f"{uri}: no inbox on its own server")
    key = document.get("publicKey") or {}
    if isinstance(key, list):
        key = key[0] if key else {}
    if key.get("owner", uri) != uri or not same_origin(key.get("id", uri), uri):
        raise RemoteError(f"{uri}: its key belongs to someone else")
    endpoints = document.get("endpoints") or {}
    shared = endpoints.get("sharedInbox", "") if isinstance(endpoints, dict) else ""
    if not isinstance(shared, str) or (shared and not same_origin(shared, uri)):
        shared = ""
    name = document.get("preferredUsername") or ""
    profile = document.get("url") or uri
    if isinstance(profile, list):
        profile = profile[0] if profile else uri
    if isinstance(profile, dict):
        profile = profile.get("href", uri)
    server = server_for(uri)
    actor, _ = RemoteActor.objects.update_or_create(
        uri=uri,
        defaults={
            "server": server,
            "handle": f"@{name}@{server.host}" if name else "",
            "name": str(document.get("name") or name)[:200],
            "profile": profile if isinstance(profile, str) else uri,
            "inbox": inbox,
            "shared_inbox": shared,
            "key_id": key.get("id", ""),
            "public_key": key.get("publicKeyPem", ""),
            "fetched": timezone.now(),
        },
    )
    return actor


def key_owner(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The account whose key `key_id` is: by the key's id if we know it, else its document
    (an actor with the key, or a key naming its owner)."""
    known = RemoteActor.objects.select_related("server").filter(key_id=key_id).first()
    if known and not refresh and timezone.now() - known.fetched < KEY_FRESH:
        return known
    document = get_json(urldefrag(key_id).url)
    if document.get("type") in ("Key", "CryptographicKey") or "owner" in document:
        owner = document.get("owner")
        if not isinstance(owner, str) or not same_origin(owner, key_id):
            raise RemoteError(f"{key_id}: the key names no owner on its server")
        return actor_get(owner, refresh=True)
    return actor_store(document, fetched_from=urldefrag(key_id).url)


def stale(actor: RemoteActor) -> bool:
    return timezone.now() - actor.fetched > REFETCH_AFTER
