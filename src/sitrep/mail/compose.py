"""Writing a mail: a text part and an HTML part from one pair of templates, the HTML's CSS put
inline by css-inline (mail clients drop <style> blocks), no remote images or trackers, and
the headers a good sender sets."""

from __future__ import annotations

import css_inline
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

_inliner = None


def _inline(html: str) -> str:
    global _inliner
    if _inliner is None:
        css = open(finders.find("sitrep/css/mail.css"), encoding="utf-8").read()
        _inliner = css_inline.CSSInliner(extra_css=css, load_remote_stylesheets=False)
    return _inliner.inline(html)


def absolute(path: str) -> str:
    return settings.SITREP_SITE_URL + path


def mail_make(*, template: str, to: str, subject: str, context: dict,
              unsubscribe: str | None = None) -> EmailMultiAlternatives:  # fmt: skip
    """`mail/messages/<template>.txt` and `.html` rendered with `context`. With `unsubscribe` (an
    absolute URL that stops this mail with one POST), the RFC 8058 one-click headers."""
    context = {**context, "site_name": settings.SITREP_SITE_NAME,
               "site_url": settings.SITREP_SITE_URL, "subject": subject,
               "unsubscribe": unsubscribe}  # fmt: skip
    text = render_to_string(f"mail/messages/{template}.txt", context)
    html = _inline(render_to_string(f"mail/messages/{template}.html", context))
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    mail.attach_alternative(html, "text/html")
    return mail
