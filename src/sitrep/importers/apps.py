from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "sitrep.importers"
    label = "importers"
    verbose_name = "Import and export"

    def ready(self):
        from sitrep.core import worker
        from sitrep.importers import tasks

        worker.interrupted.connect(tasks.import_interrupted)
