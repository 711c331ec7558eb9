"""Bring Django up once per process: configure settings, set up apps, migrate the database.

Django's settings are process-global, so every server started in a process shares one configuration
and one database: an SQLite file in a temporary directory of this process (removed at exit) unless
``DATABASE_URL`` is set. Calling ``ensure_django`` again is free.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path

from conformance.errors import TargetError, UsageError
from conformance.reference.settings import build_settings, token_lifetime_from_env

_LOCK = threading.Lock()
_READY = threading.Event()  # set once Django is up in this process


def ensure_django(token_lifetime_seconds: int | None = None) -> None:
    """Configure Django for the reference and migrate its database, once per process.

    ``token_lifetime_seconds`` (default: ``CRUX_REFERENCE_TOKEN_LIFETIME`` or two hours) sets how
    long newly issued tokens stay valid; later calls may change it.
    """
    with _LOCK:
        if not _READY.is_set():
            _configure(token_lifetime_seconds or token_lifetime_from_env())
            _READY.set()
        if token_lifetime_seconds is not None:
            from django.conf import settings

            settings.CRUX_TOKEN_LIFETIME_SECONDS = token_lifetime_seconds


def _configure(token_lifetime_seconds: int) -> None:
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command
    from django.db import DatabaseError

    if settings.configured:
        if "conformance.reference.apps.ReferenceConfig" not in settings.INSTALLED_APPS:
            raise UsageError("Django is already configured for another project in this process")
    else:
        sqlite_dir = Path(tempfile.mkdtemp(prefix="crux-reference-"))
        atexit.register(shutil.rmtree, sqlite_dir, ignore_errors=True)
        try:
            configuration = build_settings(sqlite_dir, token_lifetime_seconds)
        except ValueError as error:  # dj-database-url: unknown scheme, malformed URL
            raise UsageError(f"DATABASE_URL is not usable: {_one_line(error)}") from None
        settings.configure(**configuration)
    try:
        django.setup()
        from conformance.reference.setup_lock import setup_lock

        with setup_lock():
            call_command("migrate", verbosity=0, interactive=False)
    except ImproperlyConfigured as error:  # e.g. the PostgreSQL driver is not installed
        raise UsageError(f"the reference database cannot be used: {_one_line(error)}") from None
    except DatabaseError as error:  # unreachable server, bad credentials, read-only file
        raise TargetError(f"the reference database cannot be prepared: {_one_line(error)}") from None


def _one_line(error: Exception) -> str:
    """The first line of an error's message (driver messages span several lines)."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
