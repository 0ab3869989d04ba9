"""HTTP signatures, both kinds the fediverse uses, through libraries (no crypto of our own):
draft-cavage (what Mastodon sends and every server accepts) by apsig, and RFC 9421 (which
Mastodon accepts since 4.4, and Fedify sends first) by http-message-signatures.

Signing and checking only: whose key a key id names is remote.py's question."""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

import http_sf
from apsig.draft.sign import Signer as DraftSigner
from apsig.draft.verify import Verifier as DraftVerifier
from cryptography.hazmat.primitives import serialization
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)

# How far a signature's time may be from ours: servers' clocks drift, and a delivery may wait
# in a queue between signing and sending. Older signatures are refused (replays).
CLOCK_SKEW = dt.timedelta(hours=1)
MAX_AGE = dt.timedelta(hours=12)

_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """Why a request's signature was not accepted, in words for the inbox log."""


@dataclass
class Signed:
    key_id: str
    style: str  # "cavage" or "rfc9421"


@dataclass
class _Message:
    """The request as http-message-signatures reads it."""

    method: str
    url: str
    headers: dict


def sign(method: str, url: str, headers: dict, body: bytes, *, key_id: str, private_pem: str,
         style: str = "cavage") -> dict:  # fmt: skip
    """`headers` with a signature by our key, of the method, the address, the host, the date
    and (with a body) the body's digest."""
    key = _private_key(private_pem)
    if style == "rfc9421":
        message = _Message(method, url, dict(headers))
        components = ["@method", "@target-uri", "@authority"]
        signer = HTTPMessageSigner(
            signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=_OneKey(key)
        )
        signer.sign(message, key_id=key_id, label="sig1", covered_component_ids=components,
                    body=body if method != "GET" else None)  # fmt: skip
        return message.headers
    signed = DraftSigner(
        headers=headers, private_key=key, method=method, url=url, key_id=key_id, body=body
    ).sign()
    signed.pop("Authorization", None)  # the same signature again, which some servers misread
    return signed


@functools.lru_cache(maxsize=4)
def _private_key(pem: str):
    """The key parsed once per process: parsing checks an RSA key's numbers, which took longer
    than signing itself, once per delivery (bench/README.md, "fediverse_fanout.py")."""
    return serialization.load_pem_private_key(pem.encode(), password=None)


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, private=None, public=None):
        self.private, self.public = private, public

    def resolve_private_key(self, key_id):
        return self.private

    def resolve_public_key(self, key_id):
        return self.public


def key_id_of(headers: dict) -> Signed:
    """Which key signed a request, and how; before any key is fetched."""
    headers = {name.lower(): value for name, value in headers.items()}
    if "signature-input" in headers:
        try:
            inputs = http_sf.parse(headers["signature-input"].encode(), tltype="dictionary")
        except Exception:
            raise SignatureError("the Signature-Input header is malformed") from None
        for _label, (_components, params) in inputs.items():
            if params.get("keyid"):
                return Signed(str(params["keyid"]), "rfc9421")
        raise SignatureError("the RFC 9421 signature names no key")
    if "signature" in headers:
        params = dict(_PARAM.findall(headers["signature"]))
        if params.get("keyId"):
            return Signed(params["keyId"], "cavage")
        raise SignatureError("the Signature header names no key")
    raise SignatureError("the request is not signed")


def verify(method: str, url: str, headers: dict, body: bytes, *, signed: Signed,
           public_pem: str) -> None:  # fmt: skip
    """Raise SignatureError unless `public_pem` signed this request, recently, with the parts
    that matter covered: the method and address, the host and date, the body's digest."""
    headers = {name.lower(): value for name, value in headers.items()}
    if signed.style == "rfc9421":
        return _verify_rfc9421(method, url, headers, body, public_pem)
    params = dict(_PARAM.findall(headers["signature"]))
    covered = params.get("headers", "date").lower().split()
    needed = ["(request-target)", "host", "date"] + (["digest"] if method == "POST" else [])
    missing = [name for name in needed if name not in covered]
    if missing:
        raise SignatureError("the signature does not cover " + ", ".join(missing))
    if urlsplit(url).query:
        raise SignatureError("signed requests with a query are not accepted")
    try:
        DraftVerifier(
            public_pem=public_pem, method=method, url=url, headers=headers, body=body,
            clock_skew=int(CLOCK_SKEW.total_seconds()),
        ).verify(raise_on_fail=True)  # fmt: skip
    except Exception as exc:
        raise SignatureError(f"the signature does not verify ({exc})") from None
    return None


class _Verifier(HTTPMessageVerifier):
    max_clock_skew = CLOCK_SKEW
    # A sender's label is not signed, but it is how a server with one signature names it.
    allow_label_only_selection = True


def _verify_rfc9421(method, url, headers, body, public_pem) -> None:
    key = serialization.load_pem_public_key(public_pem.encode())
    verifier = _Verifier(
        signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=_OneKey(public=key)
    )
    needed = ["@method", "@target-uri"]
    try:
        labels = http_sf.parse(headers["signature-input"].encode(), tltype="dictionary")
        # One signature is checked: the first, whatever its label (Fedify's is "sig1").
        first = next(iter(labels))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            verifier.verify(
                _Message(method, url, headers), max_age=MAX_AGE, expect_label=first,
                require_components=needed, body=body if body else None,
            )  # fmt: skip
    except Exception as exc:  # any malformed part of a stranger's request is a refusal
        raise SignatureError(f"the signature does not verify ({exc})") from None
