from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "sitrep.comments"
    label = "comments"

    def ready(self):
        from sitrep.comments import receivers  # noqa: F401  (cache invalidation)
        from sitrep.comments.views import own_links
        from sitrep.posts import pagecache

        pagecache.personal_parts.append(own_links)
