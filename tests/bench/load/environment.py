"""The environment both the harness and gunicorn run Django with (``sfa/settings.py`` reads
it): production-like (DEBUG off, a secret key, plain HTTP on the loopback), the benchmark's
PostgreSQL and Redis, and temporary static, media and private folders."""

import os
import secrets
from pathlib import Path

HOSTS = "127.0.0.1,localhost"


def django_environment(*, database_url: str, redis_url: str, work_dir: Path) -> dict[str, str]:
    static_root = work_dir / "static"
    return {
        "DJANGO_SETTINGS_MODULE": "sfa.settings",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "CACHE_URL": f"{redis_url}/1",
        "CELERY_BROKER_URL": f"{redis_url}/0",
        "DEBUG": "0",
        "HTTPS": "0",  # plain http on the loopback: no redirect to https, no secure cookies
        "SECRET_KEY": _secret_key(work_dir),
        "ALLOWED_HOSTS": HOSTS,
        "STATIC_ROOT": str(static_root),
        "SFA_VAR_DIR": str(work_dir / "var"),
        "LOG_LEVEL": "WARNING",
    }


def _secret_key(work_dir: Path) -> str:
    """Kept with the data: sessions made by one run stay valid in the next (--serve-only)."""
    path = work_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def setup_django(environment: dict[str, str]) -> None:
    os.environ.update(environment)
    import django

    django.setup()
