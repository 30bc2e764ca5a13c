"""Django settings, all from environment variables (defaults are for local development).

DATABASE_URL      PostgreSQL in production, e.g. postgres://user:pass@host:5432/interculture.
                  Unset: SQLite file in INTERCULTURE_DATA_DIR (the embedded default).
INTERCULTURE_DB_CONN_MAX_AGE   seconds a database connection is kept (0: per request).
INTERCULTURE_DATA_DIR   where the SQLite file and uploads live (default: ./var).
INTERCULTURE_SECRET_KEY, INTERCULTURE_DEBUG, INTERCULTURE_ALLOWED_HOSTS (comma-separated).
INTERCULTURE_EMAIL_BACKEND, INTERCULTURE_EMAIL_HOST, INTERCULTURE_FROM_EMAIL   invitations by mail.
INTERCULTURE_EMAIL_PORT, INTERCULTURE_EMAIL_USER, INTERCULTURE_EMAIL_PASSWORD, INTERCULTURE_EMAIL_USE_TLS
                  the SMTP server's port, account and STARTTLS (1 or 0).
INTERCULTURE_HTTPS   1 when the site is served over HTTPS (see "Security" below).
INTERCULTURE_TRUSTED_PROXIES   how many reverse proxies of ours set X-Forwarded-For (default 0).
INTERCULTURE_TASKS   "immediate" (default) or "database" (jobs run by `interculture worker`).
INTERCULTURE_JOB_STALL_SECONDS, INTERCULTURE_BASE_URL   see below.
INTERCULTURE_S3_BUCKET (and _ENDPOINT_URL, _REGION, _ACCESS_KEY, _SECRET_KEY, _PREFIX)   uploaded
                  documents in an S3-compatible store instead of INTERCULTURE_DATA_DIR/media.
INTERCULTURE_EMBEDDINGS   "e5" (default: multilingual-e5-small) or "hash" (the tests' instant stand-in).
scripts/serve (the production stack) reads its own variables: see README, "Production".
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("INTERCULTURE_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("INTERCULTURE_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("INTERCULTURE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("INTERCULTURE_SECRET_KEY must be set when INTERCULTURE_DEBUG=0")
    SECRET_KEY = "development-only-not-secret"
ALLOWED_HOSTS = os.environ.get("INTERCULTURE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "interculture.accounts.admin_config.SecretariatAdminConfig",  # django.contrib.admin, for the secretariat
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # runserver leaves static files to WhiteNoise, as in production
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",  # sign-in throttle (see "Sign-in" below)
    "interculture.accounts",
    "interculture.assessments",
    "interculture.practices",
    "interculture.reports",
    "interculture.pathway",
    "interculture.coordination",
    "interculture.site",  # above every domain app: home, city results, demo loader, URL map
]

MIDDLEWARE = [
    "interculture.middleware.RequestLog",  # first: times and logs every request, static files too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, hashed and compressed
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "interculture.middleware.ErrorResponses",  # before the CSRF check, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a refused sign-in into the lock-out page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interculture.site.urls"
WSGI_APPLICATION = "interculture.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # Filters every template has without {% load %}: `cite` (a source by its document's
            # title) and `country_name` (a country code in the reader's language).
            "builtins": ["interculture.sources", "interculture.countries"],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'interculture.sqlite3'}",
        # Persistent connections pay off under a pooled WSGI server (set e.g. 60 there); the
        # development server starts a thread per request, where they would only pile up.
        conn_max_age=int(os.environ.get("INTERCULTURE_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,  # a kept connection that the database closed is opened again
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers take the lock when their transaction starts (no lock-upgrade deadlocks), wait for
    # each other rather than fail, and readers never block writers (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions in the database (Django's default, named here because every process and machine must
# share them), like the sign-in throttle's state (axes) and the cache below.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# One cache shared by every process and machine using the database (drawn charts, see charts.py;
# published pages' data, see kept.py).
# Its table is made by a migration (accounts 0003), so `migrate` is all a new install runs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "interculture_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fi", "Suomi"), ("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
# Dates and numbers in the reader's locale (Django's formats); English dates are written
# unambiguously ("2 December 2026"): interculture/formats/en.
FORMAT_MODULE_PATH = ["interculture.formats"]

# Mail (invitations, password resets, reminders): printed on the console unless an SMTP server
# is configured. Unset options are left to the backend; `check --deploy` names what is missing
# (interculture/checks.py), so a port that is not a number is kept as typed for it to name.
_mail_port = os.environ.get("INTERCULTURE_EMAIL_PORT", "")
_mail_options = {
    "host": os.environ.get("INTERCULTURE_EMAIL_HOST"),
    "port": int(_mail_port) if _mail_port.isdigit() else _mail_port,
    "username": os.environ.get("INTERCULTURE_EMAIL_USER"),
    "password": os.environ.get("INTERCULTURE_EMAIL_PASSWORD"),
    "use_tls": os.environ.get("INTERCULTURE_EMAIL_USE_TLS") == "1",
}
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "INTERCULTURE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": {key: value for key, value in _mail_options.items() if value},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("INTERCULTURE_FROM_EMAIL", "interculture@localhost")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Uploaded documents (pathway steps): served only through views that check permissions.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# `collectstatic` writes hashed names (cached for a year by WhiteNoise) and gzip/Brotli copies;
# with INTERCULTURE_DEBUG=1 the files are served unhashed from the source folders.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# INTERCULTURE_S3_BUCKET: uploaded documents in an S3-compatible object store instead of
# MEDIA_ROOT, shared by every machine (django-storages, `pip install 'interculture[s3]'`). The
# documents stay private: the app reads them and serves them through its permission checks.
if _bucket := os.environ.get("INTERCULTURE_S3_BUCKET", ""):
    _s3_options = {
        "bucket_name": _bucket,
        "endpoint_url": os.environ.get("INTERCULTURE_S3_ENDPOINT_URL"),  # another store than AWS
        "region_name": os.environ.get("INTERCULTURE_S3_REGION"),
        "access_key": os.environ.get("INTERCULTURE_S3_ACCESS_KEY"),  # unset: the usual AWS chain
        "secret_key": os.environ.get("INTERCULTURE_S3_SECRET_KEY"),
        "location": os.environ.get("INTERCULTURE_S3_PREFIX", "media"),
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **{key: value for key, value in _s3_options.items() if value},
            "default_acl": "private",
            "file_overwrite": False,  # two uploads of one name are two documents
        },
    }

# Background jobs go through Django's Tasks interface. The embedded default runs them at once;
# INTERCULTURE_TASKS=database queues them in the database for `interculture worker` processes,
# which can run on other machines sharing the database.
if os.environ.get("INTERCULTURE_TASKS", "immediate") == "database":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# A running job silent for this long has lost its worker and is queued again.
INTERCULTURE_JOB_STALL_SECONDS = int(os.environ.get("INTERCULTURE_JOB_STALL_SECONDS", "120"))
# The public address of the site, for links in PDFs and emails.
INTERCULTURE_BASE_URL = os.environ.get("INTERCULTURE_BASE_URL", "").rstrip("/")
# The practice embeddings: the e5 model, or a deterministic hashed stand-in that the tests use
# outside the cross-lingual ones (the model costs ~40 s per demo load on a CPU).
INTERCULTURE_EMBEDDINGS = os.environ.get("INTERCULTURE_EMBEDDINGS", "e5")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "message", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("INTERCULTURE_LOG_LEVEL", "WARNING")},
    # One JSON line per request on standard output (interculture.middleware.RequestLog).
    "loggers": {"interculture.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False}},
}

# --- Sign-in -------------------------------------------------------------------------------
# django-axes throttles every sign-in through authenticate(): the sign-in page, the admin's and
# any other. A name and an address together are locked after AXES_FAILURE_LIMIT failures within
# AXES_COOLOFF_TIME, for AXES_COOLOFF_TIME (a stranger elsewhere cannot lock the real user out);
# tries while locked are not counted. Beyond that, one name failing from any addresses is slowed
# down (accounts/signin.py). The state is in the database, shared by every process.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out try before the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "interculture.accounts.signin.SignInHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure with its time: the per-name slow-down counts them
AXES_LOCKOUT_CALLABLE = "interculture.accounts.views.locked_out"
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, or behind INTERCULTURE_TRUSTED_PROXIES reverse proxies of
# ours, the address the outermost one saw (X-Forwarded-For read from the right).
_proxies = os.environ.get("INTERCULTURE_TRUSTED_PROXIES", "0") or "0"
if not _proxies.isdigit():
    raise RuntimeError(f"INTERCULTURE_TRUSTED_PROXIES must be a whole number, not {_proxies!r}")
TRUSTED_PROXIES = int(_proxies)
AXES_CLIENT_IP_CALLABLE = "interculture.accounts.services.client_ip"
# The per-name slow-down: after SIGNIN_NAME_FREE_FAILURES failures for a name within
# SIGNIN_NAME_WINDOW (from any addresses), each try must wait SIGNIN_NAME_FIRST_WAIT after the
# name's last failure, doubled with every further failure, at most SIGNIN_NAME_MAX_WAIT.
SIGNIN_NAME_FREE_FAILURES = 10
SIGNIN_NAME_WINDOW = timedelta(hours=1)
SIGNIN_NAME_FIRST_WAIT = timedelta(seconds=5)
SIGNIN_NAME_MAX_WAIT = timedelta(minutes=5)
# Password-reset mails: at most this many per email address and per client address an hour.
PASSWORD_RESET_MAILS_PER_EMAIL = 3
PASSWORD_RESET_MAILS_PER_ADDRESS = 10
PASSWORD_RESET_WINDOW = timedelta(hours=1)

# --- Security ------------------------------------------------------------------------------
# INTERCULTURE_HTTPS=1: the site is served over HTTPS, usually behind a reverse proxy that sets
# X-Forwarded-Proto (and overwrites one sent by the client). Without it (local trial, tests, the
# test servers on plain http://127.0.0.1) nothing here forces HTTPS.
if os.environ.get("INTERCULTURE_HTTPS", "0") == "1":
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor may ask the server itself, over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    # INTERCULTURE_HSTS_SUBDOMAINS=0 when other sites under the domain are not all on HTTPS.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("INTERCULTURE_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS

# Content-Security-Policy: only our own scripts, styles and images (no inline script or style;
# the htmx indicator style is turned off in base.html). Reports and strategies are rendered to
# PDF by WeasyPrint, not by a browser, so their inline <style> is not concerned.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
