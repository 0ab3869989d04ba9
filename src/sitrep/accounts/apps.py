from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sitrep.accounts"
    label = "accounts"

    def ready(self):
        from sitrep.accounts import receivers  # noqa: F401  (reader summaries, audit log)
        from sitrep.accounts.models import SecurityPolicy, User
        from sitrep.audit.services import track_changes

        # Roles granted or taken away, and the security policy, by any path, into the audit log.
        roles = ("is_editor", "is_moderator", "is_superuser", "is_staff", "is_active", "signature")
        track_changes(User, roles, "account.roles", target=lambda user: user.username)
        track_changes(SecurityPolicy, ("staff_two_factors",), "settings.security",
                      target=lambda _: "")  # fmt: skip
