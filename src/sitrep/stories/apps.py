from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "sitrep.stories"
    label = "stories"

    def ready(self):
        from sitrep.posts.parts import Part, register

        # A story post shows its story, its claim's status and (on its page) its public log.
        register(
            Part(
                "stories/includes/_post_status.html",
                order=10,
                select_related=("story_entry__story",),
                prefetch_related=("log_entries",),
            )
        )
