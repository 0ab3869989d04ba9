import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitrep.config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the worker: moved
# out of the garbage collector's sight, a full collection no longer walks it. Without this a
# full collection took about 55 ms, and a page that makes many objects (the reading order of a
# 20,000-comment thread) set one off every other request: cold p50 71 ms, max 158 ms; with it
# max 85 ms (bench/README.md).
gc.collect()
gc.freeze()
