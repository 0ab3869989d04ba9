from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sitrep.accounts"
    label = "accounts"
