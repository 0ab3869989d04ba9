from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "sitrep.pages"
    label = "pages"
    verbose_name = "Page cache"
