from django.apps import AppConfig


class FediverseConfig(AppConfig):
    """The site as a fediverse account (docs/fediverse.md): followed from Mastodon and the
    like, its posts delivered to followers, replies there becoming comments here."""

    name = "sitrep.fediverse"
    label = "fediverse"
    verbose_name = "Fediverse"

    def ready(self):
        from sitrep.core.schedule import every_tick
        from sitrep.fediverse import receivers  # noqa: F401
        from sitrep.fediverse.delivery import retries_due
        from sitrep.fediverse.publish import posts_due
        from sitrep.posts import parts

        every_tick("fediverse posts", posts_due)
        every_tick("fediverse deliveries", retries_due)
        parts.register(parts.Part("fediverse/_reach.html", order=50, select_related=("reach",)))
