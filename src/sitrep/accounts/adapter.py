"""sitrep's choices where django-allauth asks (settings.ACCOUNT_ADAPTER, MFA_ADAPTER)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from sitrep.core.client import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The address our own proxy settings find (SITREP_TRUSTED_PROXIES), as everywhere."""
        return client_ip(request)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        return settings.SITREP_SITE_NAME
