from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "sitrep.curation"
    label = "curation"
    verbose_name = "Feeds and inbox"

    def ready(self):
        from sitrep.core.schedule import every_tick
        from sitrep.curation.schedule import enqueue_due

        every_tick("feed polls", enqueue_due)
