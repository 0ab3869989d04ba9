import os
from getpass import getpass

from django.core.management.base import BaseCommand, CommandError

from sitrep.accounts.services import editor_create


class Command(BaseCommand):
    help = (
        "Create an editor (or update one): sitrep createeditor NAME --signature 'Desk Editor'. "
        "The password comes from SITREP_PASSWORD when set, else a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--signature", required=True, help="Shown before the editor's notes")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, signature, email, **options):
        password = os.environ.get("SITREP_PASSWORD", "")
        if not password:
            if not self.stdin_is_tty():
                raise CommandError("Set SITREP_PASSWORD, or run this in a terminal to be asked.")
            password = getpass("Password: ")
            if password != getpass("Password (again): "):
                raise CommandError("The passwords differ; nothing was changed.")
        if len(password) < 8:
            raise CommandError("Use a password of at least 8 characters.")
        user = editor_create(username=username, password=password, signature=signature, email=email)
        self.stdout.write(f"Editor {user.username!r} ready, signing as {user.signature!r}.")

    def stdin_is_tty(self) -> bool:
        return os.isatty(0)
