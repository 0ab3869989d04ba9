from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "sitrep.comments"
    label = "comments"
