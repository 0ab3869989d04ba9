"""A saved or deleted account drops its cached reader summary (accounts.selectors), so a new
name, a promotion to editor or a new password is honoured on the next page; second factors
turned on or off are recorded in the audit log."""

from allauth.mfa import signals as mfa_signals
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sitrep.accounts.models import User
from sitrep.accounts.selectors import reader_key
from sitrep.audit.services import record


@receiver([post_save, post_delete], sender=User, dispatch_uid="accounts-reader-summary")
def account_changed(instance, **kwargs):
    cache.delete(reader_key(instance.pk))


# Second factors turned on or off (allauth's signals), into the audit log, in the desk's words.
FACTOR_NAMES = {
    "totp": "authenticator app",
    "webauthn": "passkey",
    "recovery_codes": "recovery codes",
}


def _factor(user, authenticator) -> str:
    return f"{user.username}: {FACTOR_NAMES.get(authenticator.type, authenticator.type)}"


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts-audit-factor-added")
def factor_added(sender, request, user, authenticator, **kwargs):
    record("two-factor.on", target=_factor(user, authenticator), actor=user)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts-audit-factor-removed")
def factor_removed(sender, request, user, authenticator, **kwargs):
    record("two-factor.off", target=_factor(user, authenticator), actor=user)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts-audit-factor-reset")
def factor_reset(sender, request, user, authenticator, **kwargs):
    record("two-factor.reset", target=_factor(user, authenticator), actor=user)
