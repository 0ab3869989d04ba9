from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "sitrep.curation"
    label = "curation"
    verbose_name = "Sources and inbox"
