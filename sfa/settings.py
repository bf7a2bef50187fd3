"""Settings for sfa, read from the environment.

With no environment at all this is the embedded default that ``make run`` uses: SQLite under
``var/``, Celery tasks run inline, e-mail printed to the console. Production sets at least
``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``CELERY_BROKER_URL``
(see README.md, "Production set-up").
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SFA_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "sfa-embedded-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS hardening is on whenever DEBUG is off, unless HTTPS=0 (plain-http local `make serve`).
HTTPS = env_bool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "import_export",
    "anymail",
    "sfa.core",
    "sfa.customers",
    "sfa.catalog",
    "sfa.portal",
    "leads",
    "opportunities",
    "quotes",
    "tickets",
    "knowledgebase",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sfa.core.middleware.PortalSeparationMiddleware",
]

ROOT_URLCONF = "sfa.urls"
WSGI_APPLICATION = "sfa.wsgi.application"

# Django's ModelBackend, with a user's permissions from the shared cache (sfa.core.auth).
AUTHENTICATION_BACKENDS = ["sfa.core.auth.CachedModelBackend"]
# Django's, with <select> written in Python (one template include per option was half of a
# staff list's time).
FORM_RENDERER = "sfa.core.form_renderer.FastSelectRenderer"
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
                "sfa.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short, indexed queries: JIT compiling one costs more than running it (tens of ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "sfa" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Customer documents and contract files: never served by URL, only through a checked view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Documents: the upper bound of an upload and the kinds of files accepted.
SFA_DOCUMENT_MAX_BYTES = int(env("SFA_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
SFA_DOCUMENT_EXTENSIONS = env_list(
    "SFA_DOCUMENT_EXTENSIONS",
    "pdf,png,jpg,jpeg,gif,webp,txt,csv,doc,docx,xls,xlsx,odt,ods,ppt,pptx,zip,eml,msg",
)
SFA_COMPANY_NAME = env("SFA_COMPANY_NAME", "sfa demo company")
# The letterhead of printed documents (quote PDFs): address lines (newlines, or "\n" in the
# variable), a logo file (SVG or PNG; empty for none), the VAT id and an optional footer line
# (bank details, registration).
SFA_COMPANY_ADDRESS = env(
    "SFA_COMPANY_ADDRESS", "1 Harbour Street\n20457 Hamburg\nGermany"
).replace("\\n", "\n")
SFA_COMPANY_LOGO = env("SFA_COMPANY_LOGO", str(BASE_DIR / "sfa" / "static" / "sfa" / "logo.svg"))
SFA_COMPANY_VAT_ID = env("SFA_COMPANY_VAT_ID")
SFA_COMPANY_FOOTER = env("SFA_COMPANY_FOOTER")
# The address users reach the staff UI at, for links in e-mails.
SFA_BASE_URL = env("SFA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 = use the socket's
# address. Per-address limits (public web forms) read the client address with this.
SFA_PROXY_COUNT = int(env("SFA_PROXY_COUNT", "0"))

# E-mail: the console by default; production picks an anymail backend, e.g.
# EMAIL_BACKEND=anymail.backends.postmark.EmailBackend and ANYMAIL_POSTMARK_SERVER_TOKEN=...
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sfa <no-reply@sfa.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Support mail: tickets are answered from this address, and the inbound webhook receives what
# customers send to it. A reply to a ticket closed longer than SFA_TICKET_REOPEN_DAYS opens a
# follow-up ticket. Unknown senders: "domain" (a new contact when exactly one customer uses the
# sender's domain, else a ticket with only the address), "accept" (a ticket with only the
# address) or "reject" (no ticket). SFA_INBOUND_TEAM: the team new e-mail tickets go to.
SFA_SUPPORT_EMAIL = env("SFA_SUPPORT_EMAIL", "sfa support <support@sfa.localhost>")
SFA_TICKET_REOPEN_DAYS = int(env("SFA_TICKET_REOPEN_DAYS", "14"))
SFA_INBOUND_UNKNOWN_SENDERS = env("SFA_INBOUND_UNKNOWN_SENDERS", "domain")
SFA_INBOUND_TEAM = env("SFA_INBOUND_TEAM")
SFA_INBOUND_ACKS_PER_HOUR = int(env("SFA_INBOUND_ACKS_PER_HOUR", "5"))
# Inbound and tracking webhooks (/api/v1/email/<esp>/inbound/, …/tracking/) need basic auth:
# ANYMAIL_WEBHOOK_SECRET=user:password (and the ESP's signing key where it has one, e.g.
# ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY). Without a secret they are off (404).
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# Celery: inline (eager) unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    "cache+memory://" if CELERY_BROKER_URL == "memory://" else CELERY_BROKER_URL,
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "reminder-digest": {
        "task": "sfa.customers.tasks.reminder_digest_task",
        "schedule": crontab(hour=int(env("SFA_DIGEST_HOUR", "7")), minute=0),
    },
    "expire-quotes": {
        "task": "quotes.tasks.expire_quotes_task",
        # just after midnight: a quote valid until yesterday expires before anyone opens it
        "schedule": crontab(hour=0, minute=5),
    },
    "check-slas": {
        "task": "tickets.tasks.check_slas_task",
        "schedule": crontab(minute="*/5"),
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL"),
    }
    if env("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# With a shared cache (CACHE_URL), sessions are read from it (written through to the database)
# and so are the pickers of the list filters (sfa.core.choices); the embedded LocMemCache is
# one per process, where a logout or a new branch would not reach the other processes.
SFA_CACHE_SHARED = env_bool("SFA_CACHE_SHARED", bool(env("CACHE_URL")))
if SFA_CACHE_SHARED:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Users' roles and permissions from the shared cache (sfa.core.auth).
SFA_CACHE_AUTH = env_bool("SFA_CACHE_AUTH", SFA_CACHE_SHARED)
# Web form rate limits (leads.webforms) use django-ratelimit's counter in the default cache. It
# is not in INSTALLED_APPS: the app only adds a system check, which calls the embedded
# LocMemCache an error (not shared between processes: set CACHE_URL when running several).
# A count the cache lost lets the submission through, as a first one.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True

REST_FRAMEWORK = {
    # Token first: its ``WWW-Authenticate`` header makes "not authenticated" a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["sfa.core.api.permissions.StaffModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "sfa.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "sfa.core.api.filters.SelectorSearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sfa.core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "sfa API",
    "DESCRIPTION": (
        "Sales-force automation and support desk. Authenticate with "
        "`POST /api/v1/auth/token/` and send `Authorization: Token <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "sfa.customers.models.Account.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each step of every PDF at INFO
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
