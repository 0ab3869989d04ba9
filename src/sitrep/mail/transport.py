"""Where mail really goes when no mail server is set (the embedded default): each message a
`.eml` file under $SITREP_DATA_DIR/mail, to be opened with any mail program."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmlFilesBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.SITREP_MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for mail in email_messages:
            message = mail.message()
            name = message["Message-ID"].strip("<>").replace("/", "_").replace("@", "-at-")
            partial = folder / f".{name}.eml.partial"
            partial.write_bytes(message.as_bytes(linesep="\r\n"))
            partial.replace(folder / f"{name}.eml")
        return len(email_messages)
