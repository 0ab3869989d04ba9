from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "sitrep.importers"
    label = "importers"
    verbose_name = "Import and export"
