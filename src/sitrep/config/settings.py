"""sitrep settings: one file, every value from the environment (see config/env.py)."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from sitrep.config import env

env.load_env_file()
PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.get("SITREP_DATA_DIR")).resolve()

# --- Security -------------------------------------------------------------------------------
DEBUG = env.parse_bool(env.get("SITREP_DEBUG"), name="SITREP_DEBUG")
SECRET_KEY = env.get("SITREP_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITREP_SECRET_KEY is not set. Run `make run` once in the checkout (it writes one "
            "to .env), put SITREP_SECRET_KEY=<a long random string> in .env or the "
            "environment, or set SITREP_DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env.parse_list(env.get("SITREP_ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = env.parse_list(env.get("SITREP_CSRF_TRUSTED_ORIGINS"))
# Behind a reverse proxy, take the client address from X-Forwarded-For (the last hop added).
SITREP_FORWARDED_FOR = env.parse_bool(env.get("SITREP_FORWARDED_FOR"), name="SITREP_FORWARDED_FOR")
# Served over HTTPS (directly or behind a proxy that sets X-Forwarded-Proto): secure cookies,
# HSTS and redirects to https. Off by default so `make run` works on plain http://127.0.0.1.
SITREP_HTTPS = env.parse_bool(env.get("SITREP_HTTPS"), name="SITREP_HTTPS")
if SITREP_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
    # HSTS for every subdomain, and the browsers' preload list, are promises about the whole
    # domain that only its owner can make (a blog is often news.example.org); sitrep does not
    # make them for the operator, and says so here instead of leaving two deploy warnings.
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token (inbox.js included)

# --- Site -----------------------------------------------------------------------------------
SITREP_SITE_NAME = env.get("SITREP_SITE_NAME")
SITREP_SITE_TAGLINE = env.get("SITREP_SITE_TAGLINE")
SITREP_BIND = env.get("SITREP_BIND")
SITREP_WORKERS = env.parse_int(env.get("SITREP_WORKERS"), name="SITREP_WORKERS", minimum=1)
SITREP_THREADS = env.parse_int(env.get("SITREP_THREADS"), name="SITREP_THREADS", minimum=1)
SITREP_SERVER = env.get("SITREP_SERVER")
if SITREP_SERVER not in ("granian", "gunicorn"):
    raise env.ConfigError(f"SITREP_SERVER must be granian or gunicorn, not {SITREP_SERVER!r}")
# A line per request on standard output; behind nginx, which logs every request (the ones it
# answers itself too), it can be off.
SITREP_ACCESS_LOG = env.parse_bool(env.get("SITREP_ACCESS_LOG"), name="SITREP_ACCESS_LOG")
# Public pages also written as files for nginx to serve itself (pages/files.py): for an
# nginx on this machine configured as deploy/nginx.conf.
PAGE_FILES_DIR = (
    DATA_DIR / "pages"
    if env.parse_bool(env.get("SITREP_PAGE_FILES"), name="SITREP_PAGE_FILES")
    else None
)

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "sitrep.core",
    "sitrep.audit",
    "sitrep.media",
    "sitrep.accounts",
    "sitrep.pages",
    "sitrep.posts",
    "sitrep.comments",
    "sitrep.search",
    "sitrep.desk",
    "sitrep.demo",
    "sitrep.importers",
    "sitrep.mail",
    "sitrep.fediverse",
    "sitrep.curation",
    "sitrep.stories",
    "sitrep.linkcheck",
    "sitrep.places",
    # Sign-in, two factors (TOTP, passkeys, recovery codes) and the list of one's sessions.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",  # failed sign-ins, counted per account and address together
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so pages served from it carry the same security headers.
    "sitrep.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sitrep.pages.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sitrep.audit.services.ActorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "sitrep.accounts.middleware.StaffSecondFactorMiddleware",
    "sitrep.importers.middleware.OldAddressMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out sign-in with our page
]

ROOT_URLCONF = "sitrep.config.urls"
WSGI_APPLICATION = "sitrep.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "front"
LOGOUT_REDIRECT_URL = "front"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account-and-address first
    "allauth.account.auth_backends.AuthenticationBackend",
]

_template_dirs = [Path(p) for p in [env.get("SITREP_TEMPLATE_DIR")] if p]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An operator's theme folder is searched first, then the built-in templates.
        "DIRS": [*_template_dirs, PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sitrep.core.context_processors.site",
                "sitrep.fediverse.context.fediverse",
            ],
        },
    },
    {
        # One template is Jinja2: a thread's comments, rendered once per comment
        # (comments.views.thread_html). The same folders; asked for by name only.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [*_template_dirs, PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
    },
]

# --- Sign-in (django-allauth: accounts, two factors, sessions; django-axes: lock-out) -------
ACCOUNT_ADAPTER = "sitrep.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "sitrep.accounts.adapter.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # an e-mail address is optional, for password resets
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True  # staff sign in often; the session lasts SESSION_COOKIE_AGE
# Failed sign-ins per address here; per account and address together, django-axes below. No
# limit per account alone: anyone could use it to keep the editor out.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/15m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
# Passkeys need a secure origin; http://127.0.0.1 of `make run` is one only to browsers.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not SITREP_HTTPS
# Sessions are recorded when one signs in (device, address, time), not on every request: that
# would be a database write per page for every signed-in reader.
USERSESSIONS_TRACK_ACTIVITY = False
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "sitrep.accounts.throttle.lockout_username"
AXES_CLIENT_IP_CALLABLE = "sitrep.accounts.throttle.lockout_address"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded as sessions (allauth.usersessions)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Storage --------------------------------------------------------------------------------
DATABASES = {"default": env.parse_database_url(env.get("DATABASE_URL"), data_dir=DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": env.parse_cache_url(env.get("CACHE_URL"), data_dir=DATA_DIR)}
# Sessions live in the database and are read from the shared cache (one query less for every
# signed-in request; the cache copy is written through, so a lost cache loses no session).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# --- Background work (django-tasks; `sitrep worker` runs it) --------------------------------
TASKS, RQ_QUEUES = env.parse_tasks_backend(
    env.get("SITREP_TASKS_BACKEND"), rq_url=env.get("SITREP_RQ_URL")
)
if RQ_QUEUES:  # RQ's app (and its admin dashboard) only where RQ runs the tasks
    INSTALLED_APPS.append("django_rq")
SITREP_WORKER_THREADS = env.parse_int(
    env.get("SITREP_WORKER_THREADS"), name="SITREP_WORKER_THREADS", minimum=1
)
# Outbound fetches refuse private and loopback addresses unless this is set (tests set it).
SITREP_FETCH_ALLOW_PRIVATE = env.parse_bool(
    env.get("SITREP_FETCH_ALLOW_PRIVATE"), name="SITREP_FETCH_ALLOW_PRIVATE"
)
# Link-rot insurance (sitrep.linkcheck): a web archive asked to keep a copy of every cited page
# ({url} is replaced by the page's address; empty turns that part off), and how often each
# cited page is checked.
SITREP_ARCHIVE_SAVE_URL = env.get("SITREP_ARCHIVE_SAVE_URL")
SITREP_ARCHIVE_AVAILABILITY_URL = env.get("SITREP_ARCHIVE_AVAILABILITY_URL")
# The map: country outlines shipped with sitrep work offline; a tile server (an https URL with
# {z}/{x}/{y}) adds streets and terrain, with the attribution its terms ask for.
SITREP_MAP_TILES_URL = env.get("SITREP_MAP_TILES_URL")
SITREP_MAP_TILES_ATTRIBUTION = env.get("SITREP_MAP_TILES_ATTRIBUTION")
# The worker's scheduled backups (core/backups.py): every N hours (0: none), the newest kept.
SITREP_BACKUP_HOURS = env.parse_int(env.get("SITREP_BACKUP_HOURS"), name="SITREP_BACKUP_HOURS")
SITREP_BACKUP_KEEP = env.parse_int(
    env.get("SITREP_BACKUP_KEEP"), name="SITREP_BACKUP_KEEP", minimum=1
)
SITREP_BACKUP_DIR = Path(env.get("SITREP_BACKUP_DIR") or DATA_DIR / "backups").resolve()
SITREP_LINK_CHECK_DAYS = env.parse_int(
    env.get("SITREP_LINK_CHECK_DAYS"), name="SITREP_LINK_CHECK_DAYS", minimum=1
)

# --- Time -----------------------------------------------------------------------------------
USE_TZ = True
TIME_ZONE = env.get("SITREP_TIME_ZONE")
LANGUAGE_CODE = "en-us"
USE_I18N = False

# --- Static files (WhiteNoise serves them; `sitrep serve` collects them first) --------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The media library (sitrep.media): images copied in by imports, later editors' uploads.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": env.parse_media_storage(env.get("SITREP_MEDIA_STORAGE")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Mail -----------------------------------------------------------------------------------
# The site's address as readers reach it: the links in mail the worker writes carry it.
SITREP_SITE_URL = env.get("SITREP_SITE_URL").rstrip("/")
# Mail goes into the outbox (sitrep.mail) and the worker sends it through the transport.
EMAIL_BACKEND = "sitrep.mail.outbox.OutboxBackend"
SITREP_MAIL_DIR = DATA_DIR / "mail"
globals().update(env.parse_email_url(env.get("SITREP_EMAIL_URL")))
EMAIL_TIMEOUT = 20
# Where returned mail lands (maildir:///path): the worker reads it (mail/bounces.py).
SITREP_BOUNCES_URL = env.get("SITREP_BOUNCES_URL")
DEFAULT_FROM_EMAIL = env.get("SITREP_DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- The fediverse (sitrep.fediverse, docs/fediverse.md) ------------------------------------
# Off until the site has HTTPS and a public host name: other servers address the site by the
# host of SITREP_SITE_URL, and sign and check every message against its https:// addresses.
SITREP_FEDIVERSE = env.parse_bool(env.get("SITREP_FEDIVERSE"), name="SITREP_FEDIVERSE")
SITREP_FEDIVERSE_USERNAME = env.get("SITREP_FEDIVERSE_USERNAME")
SITREP_FEDIVERSE_DISPLAY_NAME = env.get("SITREP_FEDIVERSE_DISPLAY_NAME") or SITREP_SITE_NAME
SITREP_FEDIVERSE_APPROVE_FOLLOWERS = env.parse_bool(
    env.get("SITREP_FEDIVERSE_APPROVE_FOLLOWERS"), name="SITREP_FEDIVERSE_APPROVE_FOLLOWERS"
)
SITREP_FEDIVERSE_AUTHORIZED_FETCH = env.parse_bool(
    env.get("SITREP_FEDIVERSE_AUTHORIZED_FETCH"), name="SITREP_FEDIVERSE_AUTHORIZED_FETCH"
)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # memory-hard; PBKDF2 hashes upgrade
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"storage": {"()": "sitrep.core.outage.QuietStorageFailures"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["storage"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
