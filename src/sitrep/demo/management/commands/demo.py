from django.core.management.base import BaseCommand

from sitrep.demo import content
from sitrep.demo.services import demo_load


class Command(BaseCommand):
    help = "Create the demo editor and, on an empty site, load a week of invented demo content."

    def handle(self, *args, **options):
        result = demo_load()
        if result["loaded"]:
            self.stdout.write(
                f"Loaded demo content: {result['posts']} posts, {result['comments']} comments."
            )
        else:
            self.stdout.write("The site already has posts; demo content was not loaded.")
        self.stdout.write(
            f"Editor login: {content.EDITOR['username']} / {content.EDITOR['password']} "
            "(change it before going public: sitrep changepassword editor)"
        )
