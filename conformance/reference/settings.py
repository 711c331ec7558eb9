"""Django settings for the reference implementation, built as a dict for ``settings.configure``.

The database is an embedded SQLite file in a per-process temporary directory unless ``DATABASE_URL``
is set (then PostgreSQL or anything dj-database-url understands). DEBUG is always off: the
reference must never show a debug page or a stack trace (REJ-023).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

TOKEN_LIFETIME_ENV = "CRUX_REFERENCE_TOKEN_LIFETIME"  # noqa: S105 - a variable name, not a secret
"""Environment variable: seconds a token issued by the reference stays valid (default two hours)."""

SECRET_KEY_ENV = "CRUX_REFERENCE_SECRET_KEY"  # noqa: S105 - a variable name, not a secret
"""Environment variable: Django's SECRET_KEY; set it when several processes share one DATABASE_URL."""

DEFAULT_TOKEN_LIFETIME_SECONDS = 2 * 60 * 60


def token_lifetime_from_env() -> int:
    """Return the token lifetime in seconds from the environment, or the docs' two hours."""
    raw = os.environ.get(TOKEN_LIFETIME_ENV, "").strip()
    if not raw:
        return DEFAULT_TOKEN_LIFETIME_SECONDS
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value <= 0:
        from conformance.errors import UsageError

        raise UsageError(f"{TOKEN_LIFETIME_ENV} must be a positive number of seconds, got {raw!r}")
    return value


def secret_key() -> str:
    """Django's SECRET_KEY: the environment's, else one per shared DATABASE_URL, else a random one.

    Processes sharing a database must agree on it (seeded passwords and sessions depend on it), so
    with ``DATABASE_URL`` and no explicit key it is derived from that URL. A test fixture's choice:
    set ``CRUX_REFERENCE_SECRET_KEY`` for anything long-lived.
    """
    explicit = os.environ.get(SECRET_KEY_ENV, "").strip()
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return hashlib.sha256(f"crux-reference-secret-key:{url}".encode()).hexdigest()
    return secrets.token_urlsafe(50)


def database_settings(sqlite_dir: Path) -> dict[str, Any]:
    """Return the ``default`` database: DATABASE_URL when set, else SQLite in ``sqlite_dir``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        if config.get("ENGINE") == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_dir / "reference.sqlite3"),
        "CONN_MAX_AGE": 600,
        "OPTIONS": dict(_SQLITE_OPTIONS),
    }


# WAL lets readers proceed during a write; IMMEDIATE makes every transaction take the write lock
# up front (no lock-upgrade deadlocks); the timeout makes concurrent writers wait instead of failing
# with "database is locked".
_SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def build_settings(sqlite_dir: Path, token_lifetime_seconds: int) -> dict[str, Any]:
    """Return every Django setting the reference needs, ready for ``settings.configure(**...)``."""
    return {
        "DEBUG": False,
        "SECRET_KEY": secret_key(),
        "ALLOWED_HOSTS": ["*"],
        "INSTALLED_APPS": [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "rest_framework",
            "conformance.reference.apps.ReferenceConfig",
        ],
        "MIDDLEWARE": [
            "django.middleware.security.SecurityMiddleware",
            "conformance.reference.middleware.AppendSlashMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        "APPEND_SLASH": True,
        "ROOT_URLCONF": "conformance.reference.urls",
        "DATABASES": {"default": database_settings(sqlite_dir)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "TEMPLATES": [],
        "PASSWORD_HASHERS": ["conformance.reference.hashers.ReferencePasswordHasher"],
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "CRUX_TOKEN_LIFETIME_SECONDS": token_lifetime_seconds,
        "REST_FRAMEWORK": {
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "conformance.reference.authentication.ExpiringTokenAuthentication",
                "rest_framework.authentication.SessionAuthentication",
            ],
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
            "DEFAULT_CONTENT_NEGOTIATION_CLASS": "conformance.reference.negotiation.AlwaysJSONNegotiation",
            "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
        },
        "LOGGING_CONFIG": "logging.config.dictConfig",
        "LOGGING": _LOGGING,
    }


# Quiet by design: the suite's console must stay clean. Only server errors (5xx) reach stderr.
_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "null": {"class": "logging.NullHandler"},
        "stderr": {"class": "logging.StreamHandler", "level": "ERROR"},
    },
    "loggers": {
        "django": {"handlers": ["null"], "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "waitress": {"handlers": ["null"], "propagate": False},
    },
}
