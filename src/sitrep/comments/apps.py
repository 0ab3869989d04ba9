from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "sitrep.comments"
    label = "comments"

    def ready(self):
        from sitrep.audit.services import track_changes
        from sitrep.comments import receivers  # noqa: F401  (cache invalidation)
        from sitrep.comments.models import DiscussionSettings
        from sitrep.comments.views import own_links
        from sitrep.pages.cache import reader_part

        # A commenter's edit and delete links for their own comments of the edit window.
        reader_part(own_links)

        # The discussion policy, changed in the desk or the admin, goes into the audit log.
        fields = ("mode", "hold_all", "hold_links_from_new", "flags_to_hold", "public_log")
        track_changes(DiscussionSettings, fields, "settings.discussion", target=lambda _: "")
