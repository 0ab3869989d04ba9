from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "sitrep.media"
