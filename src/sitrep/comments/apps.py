from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "sitrep.comments"
    label = "comments"

    def ready(self):
        from sitrep.comments import receivers  # noqa: F401  (cache invalidation)
        from sitrep.comments.views import own_links
        from sitrep.pages.cache import reader_part

        # A commenter's edit and delete links for their own comments of the edit window.
        reader_part(own_links)
