import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitrep.config.settings")
application = get_wsgi_application()

# What the worker loads and builds for good, out of the garbage collector's sight: see
# sitrep/core/gcfreeze.py.
from sitrep.core.gcfreeze import freeze_as_worker  # noqa: E402

freeze_as_worker()
