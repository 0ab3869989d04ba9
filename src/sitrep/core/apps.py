from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sitrep.core"
    label = "core"
