from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "sitrep.stories"
    label = "stories"
