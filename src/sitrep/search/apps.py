from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sitrep.search"
    label = "search"

    def ready(self):
        from sitrep.search import receivers  # noqa: F401  (connects post_changed)
