from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "sitrep.posts"
    label = "posts"

    def ready(self):
        from sitrep.pages.cache import expires_by
        from sitrep.posts import receivers  # noqa: F401  (connects the count receivers)
        from sitrep.posts.views import next_scheduled

        # A scheduled post goes live with no write to announce it: pages end when it does.
        expires_by(next_scheduled)
