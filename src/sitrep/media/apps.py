from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "sitrep.media"

    def ready(self):
        from sitrep.core.schedule import every_tick
        from sitrep.media.tasks import sizes_due

        every_tick("image sizes", sizes_due)
