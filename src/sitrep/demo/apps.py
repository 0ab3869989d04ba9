from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sitrep.demo"
    label = "demo"
    verbose_name = "Demo content"
