from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "sitrep.desk"
    label = "desk"
