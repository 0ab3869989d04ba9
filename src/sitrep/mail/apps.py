from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "sitrep.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        from sitrep.core import schedule
        from sitrep.mail.dispatch import dispatches_due
        from sitrep.mail.subscriptions import requests_expire

        schedule.every_tick("mailings", dispatches_due)
        schedule.every_tick("expired subscription requests", requests_expire)
