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

from conformance.errors import UsageError
from conformance.reference.settings import build_settings, token_lifetime_from_env

_LOCK = threading.Lock()
_READY = False


def ensure_django(token_lifetime_seconds: int | None = None) -> None:
    """Configure Django for the reference and migrate its database, once per process.

    ``token_lifetime_seconds`` (default: ``CRUX_REFERENCE_TOKEN_LIFETIME`` or two hours) sets how
    long newly issued tokens stay valid; later calls may change it.
    """
    global _READY
    with _LOCK:
        if not _READY:
            _configure(token_lifetime_seconds or token_lifetime_from_env())
            _READY = True
        if token_lifetime_seconds is not None:
            from django.conf import settings

            settings.CRUX_TOKEN_LIFETIME_SECONDS = token_lifetime_seconds


def _configure(token_lifetime_seconds: int) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    if settings.configured:
        if "conformance.reference.apps.ReferenceConfig" not in settings.INSTALLED_APPS:
            raise UsageError("Django is already configured for another project in this process")
    else:
        sqlite_dir = Path(tempfile.mkdtemp(prefix="crux-reference-"))
        atexit.register(shutil.rmtree, sqlite_dir, ignore_errors=True)
        settings.configure(**build_settings(sqlite_dir, token_lifetime_seconds))
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
