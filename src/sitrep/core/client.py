"""Who is asking: a salted hash of the client address, never the address itself."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def client_ip(request) -> str:
    if settings.SITREP_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_hash(ip: str) -> str:
    """Keyed hash of an IP (or of what stands in for one, a fediverse account): stable for rate
    limits and bans, useless to anyone without the key."""
    key = hashlib.sha256(("sitrep-ip:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()[:32]


def request_ip_hash(request) -> str:
    return ip_hash(client_ip(request))
