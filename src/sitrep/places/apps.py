from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "sitrep.places"
    label = "places"

    def ready(self):
        from sitrep.places import receivers  # noqa: F401  (connects post_changed)
