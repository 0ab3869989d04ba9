"""Failed sign-ins. django-axes counts them per account and address together (five, then a
quarter hour's wait), so an attacker cannot lock the owner out from everywhere; allauth's own
rate limit counts them per address (settings.ACCOUNT_RATE_LIMITS)."""

import ipaddress

from sitrep.core.client import client_ip


def lockout_username(request, credentials) -> str:
    """The account a sign-in tried, as allauth matches it (case and spaces do not count), so a
    guesser gains no tries by changing case."""
    username = (credentials or {}).get("username") or request.POST.get("login", "")
    return username.strip().lower()


def lockout_address(request) -> str | None:
    """The client's address as axes stores it (an IP address column), or None where a request
    has none (a test's or a command's sign-in)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
