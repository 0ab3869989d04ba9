from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sitrep.sources"
    label = "sources"

    def ready(self):
        from sitrep.core.schedule import every_tick
        from sitrep.sources import receivers  # noqa: F401
        from sitrep.sources.schedule import enqueue_due_checks

        every_tick("link checks", enqueue_due_checks)
