from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sitrep.core"
    label = "core"

    def ready(self):
        from sitrep.core import backups, schedule

        schedule.every_tick("backups", backups.enqueue_due_backup)
