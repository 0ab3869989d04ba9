"""Ids for feed entries: tag: URIs (RFC 4151), as Atom requires ids to be IRIs (RFC 4287 4.2.6).

An entry's id must never change, or feed readers show it again as new. So it is made of what
never changes about the entry: the site's name, the day the entry was created, its kind and its
number. `tag:news.example.org,2017-06-13:post-812`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from django.conf import settings

DNS_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)*$")


@cache
def authority() -> str:
    """The site's own host name: the first of SITREP_ALLOWED_HOSTS that is a name (an address
    cannot mint tags), a leading-dot wildcard taken as its domain."""
    for host in settings.ALLOWED_HOSTS:
        name = host.lower().lstrip(".")
        if DNS_NAME.match(name):
            return name
    return "localhost"


def entry_id(kind: str, pk: int, created: dt.datetime) -> str:
    return f"tag:{authority()},{created.astimezone(dt.UTC):%Y-%m-%d}:{kind}-{pk}"
