from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "sitrep.posts"
    label = "posts"
