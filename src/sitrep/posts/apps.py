from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "sitrep.posts"
    label = "posts"

    def ready(self):
        from sitrep.posts import receivers  # noqa: F401  (connects the count receivers)
