from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    """Link-rot insurance for cited pages (posts.Source): archived when published, checked on
    the worker's clock."""

    name = "sitrep.linkcheck"
    label = "linkcheck"
    verbose_name = "Link checks"

    def ready(self):
        from sitrep.core.schedule import every_tick
        from sitrep.linkcheck import receivers  # noqa: F401
        from sitrep.linkcheck.schedule import enqueue_due_checks

        every_tick("link checks", enqueue_due_checks)
