from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "sitrep.desk"
    label = "desk"

    def ready(self):
        from sitrep.accounts.permissions import can_edit_posts
        from sitrep.posts import parts

        parts.register_tool(parts.Tool("Edit this post", "desk:edit", can_edit_posts))
