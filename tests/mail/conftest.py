import pytest

from tests.mail.smtp import SmtpServer


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, set as the worker's transport."""
    server = SmtpServer().start()
    settings.SITREP_MAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server.mailbox
    server.stop()
