"""The comment form's signed time stamp: when the page with the form was produced."""

from django.core import signing

SALT = "sitrep.comment-form"
MAX_AGE = 24 * 3600


def issue(now_ts: float) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(int(now_ts)))


def age(token: str, now_ts: float) -> float | None:
    """Seconds since the token was issued, or None when missing, forged or too old."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except (signing.BadSignature, signing.SignatureExpired):
        return None
    return now_ts - int(value)
