"""Django settings, all from environment variables (defaults are for local development).

DATABASE_URL      PostgreSQL in production, e.g. postgres://user:pass@host:5432/interculture.
                  Unset: SQLite file in INTERCULTURE_DATA_DIR (the embedded default).
INTERCULTURE_DB_CONN_MAX_AGE   seconds a database connection is kept (0: per request).
INTERCULTURE_DATA_DIR   where the SQLite file and uploads live (default: ./var).
INTERCULTURE_SECRET_KEY, INTERCULTURE_DEBUG, INTERCULTURE_ALLOWED_HOSTS (comma-separated).
INTERCULTURE_EMAIL_BACKEND, INTERCULTURE_EMAIL_HOST, INTERCULTURE_FROM_EMAIL   invitations by mail.
INTERCULTURE_TASKS   "immediate" (default) or "database" (jobs run by `interculture worker`).
INTERCULTURE_JOB_STALL_SECONDS, INTERCULTURE_BASE_URL   see below.
"""

import os
from pathlib import Path

import dj_database_url

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "interculture.accounts",
    "interculture.assessments",
    "interculture.practices",
    "interculture.reports",
    "interculture.pathway",
    "interculture.coordination",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "interculture.middleware.ErrorResponses",  # before the CSRF check, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "interculture.urls"
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fi", "Suomi"), ("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# Mail (invitations): printed on the console unless an SMTP server is configured.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "INTERCULTURE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": (
            {"host": os.environ["INTERCULTURE_EMAIL_HOST"]} if os.environ.get("INTERCULTURE_EMAIL_HOST") else {}
        ),
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("INTERCULTURE_LOG_LEVEL", "WARNING")},
}
