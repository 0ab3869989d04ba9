from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "sitrep.places"
    label = "places"

    def ready(self):
        from sitrep.places import receivers  # noqa: F401  (connects post_changed)
        from sitrep.posts.parts import Part, register

        # A post shows the places it is tagged with, once an editor confirmed them.
        register(
            Part(
                "places/includes/_post_places.html",
                order=20,
                prefetch_related=("post_places__place",),
            )
        )
