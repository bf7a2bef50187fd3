"""Settings for the test suite: production-like (DEBUG off), on a throwaway PostgreSQL.

``TEST_DB=pg-proc`` (default) lets pytest-postgresql start a private cluster per run (and per
xdist worker); ``TEST_DB=sqlite`` runs on SQLite for a quick look.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)
os.environ["DEBUG"] = "0"
os.environ["HTTPS"] = "0"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.pop("EMAIL_BACKEND", None)

from sfa.settings import *  # noqa: E402,F403
from sfa.settings import BASE_DIR  # noqa: E402

TEST_DB = os.environ.get("TEST_DB", "pg-proc")
if TEST_DB.startswith("pg"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "tests",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": "5432",
            "ATOMIC_REQUESTS": False,
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

_TMP = Path(tempfile.mkdtemp(prefix="sfa-tests-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# One test process, one cache: the cached paths (sessions, pickers) run as with Redis.
SFA_CACHE_SHARED = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Roles and permissions are read from the database, so that the query-count tests compare
# like with like whatever users a test creates; tests/core/test_auth_cache.py turns it on.
SFA_CACHE_AUTH = False
