from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sitrep.sources"
    label = "sources"

    def ready(self):
        from sitrep.sources import receivers  # noqa: F401
