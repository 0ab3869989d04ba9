"""sitrep's choices where django-allauth asks (settings.ACCOUNT_ADAPTER, MFA_ADAPTER)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape, linebreaks, urlize

from sitrep.core.client import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's account mail (password resets and notices) is text only: an HTML part is
        made from the text, as every mail the site sends has both."""
        mail = super().render_mail(template_prefix, email, context, headers=headers)
        if not getattr(mail, "alternatives", None) and mail.content_subtype == "plain":
            body = urlize(linebreaks(escape(mail.body)))
            html = (f'<div style="max-width:36rem;font:16px/1.55 Georgia,serif;color:#1f1f1f">'
                    f"{body}</div>")  # fmt: skip
            multi = EmailMultiAlternatives(mail.subject, mail.body, mail.from_email, mail.to,
                                           headers=mail.extra_headers)  # fmt: skip
            multi.attach_alternative(html, "text/html")
            mail = multi
        return mail

    def get_client_ip(self, request) -> str:
        """The address our own proxy settings find (SITREP_TRUSTED_PROXIES), as everywhere."""
        return client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        return settings.SITREP_SITE_NAME
