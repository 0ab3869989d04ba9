from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sitrep.accounts"
    label = "accounts"

    def ready(self):
        from sitrep.accounts import receivers  # noqa: F401  (drops cached reader summaries)
