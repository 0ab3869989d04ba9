from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "sitrep.mail"
    label = "mail"
    verbose_name = "Mail"
