"""Run the reference on a real multi-threaded WSGI server (waitress), in a background thread.

``start_reference`` is the one call tests and ``crux-conformance run`` use: it brings Django up
(once per process), seeds, binds a port (0: the OS picks a free one) and yields a ``ReferenceServer``;
leaving the ``with`` block stops it within a few seconds. Servers may be started and stopped
repeatedly, and several may run at once; each decides for itself whether provider states exist.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from conformance.config_writer import render_config
from conformance.errors import TargetError, UsageError
from conformance.reference.bootstrap import ensure_django

DEFAULT_THREADS = 16
#: The SKU id written into api-mode configs (the docs' create-order example's SKU).
API_SKU_ID = "7FZvMyg0BjfewNJJ"
STOP_TIMEOUT_SECONDS = 5.0


class ReferenceServer:
    """A running reference server: where it listens, its credentials, and a ready config file."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, provider_states: bool = False,
                 threads: int = DEFAULT_THREADS, token_lifetime_seconds: int | None = None,
                 provider_states_secret: str | None = None) -> None:
        ensure_django(token_lifetime_seconds)
        from conformance.reference.seed import seed
        from conformance.reference.setup_lock import setup_lock

        with setup_lock():
            seeded = seed()
        self.credentials: dict[str, str] = seeded.credentials
        self.logins: dict[str, tuple[str, str]] = seeded.logins
        self.provider_states = provider_states
        self.provider_states_secret = provider_states_secret
        self._server = _create_waitress(_wsgi_app(provider_states, provider_states_secret), host, port, threads)
        self.host = host
        self.port: int = int(self._server.effective_port)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` without a trailing slash (a wildcard bind is reached on loopback)."""
        host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(self.host, self.host)  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def bound_url(self) -> str:
        """``http://ADDRESS:PORT`` of the address really bound (``0.0.0.0`` stays ``0.0.0.0``)."""
        host = str(self._server.effective_host)
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def state_url(self) -> str | None:
        """The provider-states endpoint, or None when provider states are off."""
        from conformance.reference.views.provider_states import PATH

        return f"{self.base_url}/{PATH}" if self.provider_states else None

    @property
    def database_description(self) -> str:
        """Which database serves this process, without credentials (for banners and logs)."""
        from django.conf import settings

        database = settings.DATABASES["default"]
        vendor = database["ENGINE"].rsplit(".", 1)[-1]
        if os.environ.get("DATABASE_URL", "").strip():
            host = database.get("HOST") or "local"
            return f"{vendor} from DATABASE_URL (host {host}, database {database.get('NAME')})"
        return f"{vendor} file {database['NAME']} (temporary, removed at exit)"

    def config_toml(self) -> str:
        """A ready ``conformance.toml`` for this server in CONTRACT.md's format (credentials included)."""
        if self.state_url:
            provisioning: dict[str, object] = {"mode": "state-url", "state_url": self.state_url}
            if self.provider_states_secret:
                provisioning["state_secret"] = self.provider_states_secret
        else:
            from conformance.reference.roles import OTHER_SUPPLIER_ORG_UUID, SUPPLIER_ORG_UUID

            api = {
                "sku_id": API_SKU_ID,  # the reference accepts any SKU id of its seeded suppliers
                "supplier_organization_uuid": SUPPLIER_ORG_UUID,
                "other_supplier_organization_uuid": OTHER_SUPPLIER_ORG_UUID,
                "po_number_prefix": "crux-conformance-",
            }
            provisioning = {"mode": "api", "api": api}
        comment = "conformance.toml for the bundled reference implementation (contains its test credentials)"
        return render_config(self.base_url, self.credentials, provisioning, comment=comment)

    def start(self) -> ReferenceServer:
        """Serve in a daemon thread; return self."""
        self._thread = threading.Thread(target=self._server.run, name=f"crux-reference-{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (``crux-conformance serve``)."""
        try:
            self._server.run()
        finally:
            self._server.task_dispatcher.shutdown(timeout=STOP_TIMEOUT_SECONDS)

    def stop(self) -> None:
        """Close the listening socket and every connection, stop the worker threads; bounded in time."""
        if self._stopped:
            return
        self._stopped = True
        stop_waitress(self._server, self._thread)

    def __repr__(self) -> str:
        return f"ReferenceServer({self.base_url!r}, provider_states={self.provider_states})"


@contextmanager
def start_reference(provider_states: bool = False, host: str = "127.0.0.1", port: int = 0, *,
                    threads: int = DEFAULT_THREADS, token_lifetime_seconds: int | None = None,
                    provider_states_secret: str | None = None) -> Iterator[ReferenceServer]:
    """Start the reference on ``host:port`` (0: a free port), yield it, stop it on exit."""
    server = ReferenceServer(host=host, port=port, provider_states=provider_states, threads=threads,
                             token_lifetime_seconds=token_lifetime_seconds,
                             provider_states_secret=provider_states_secret).start()
    try:
        yield server
    finally:
        server.stop()


def stop_waitress(server: Any, thread: threading.Thread | None) -> None:
    """Stop a waitress ``server`` whose loop runs in ``thread`` (None: not started); bounded in time.

    Everything is closed from the loop's own thread, woken through waitress's trigger: closing a socket
    under a loop that is polling it fails that poll with EBADF.
    """
    from waitress.channel import HTTPChannel

    closed = threading.Event()

    def close_all() -> None:
        for dispatcher in list(server._map.values()):
            with contextlib.suppress(Exception):  # a half-dead socket must not stop the shutdown
                if isinstance(dispatcher, HTTPChannel):
                    dispatcher.handle_close()  # also releases its output buffers
                else:
                    dispatcher.close()  # the listening socket and the trigger
        closed.set()

    if thread is not None and thread.is_alive() and _pulled(server.trigger, close_all):
        closed.wait(STOP_TIMEOUT_SECONDS)
    else:
        close_all()  # the loop is gone or cannot be woken: its next poll (at most a second) finds nothing to serve
    if thread is not None:
        thread.join(STOP_TIMEOUT_SECONDS)
    server.task_dispatcher.shutdown(timeout=STOP_TIMEOUT_SECONDS)


def _pulled(trigger: Any, thunk: Callable[[], None]) -> bool:
    """Hand ``thunk`` to the serving loop through waitress's trigger; False if the trigger's pipe is unusable.

    A write to the trigger can fail with EBADF when the pipe was closed under it (seen once in CI on a
    test worker); the caller then closes everything itself rather than fail the stop.
    """
    try:
        trigger.pull_trigger(thunk)
    except OSError:
        with trigger.lock:
            trigger.thunks = [queued for queued in trigger.thunks if queued is not thunk]
        return False
    return True


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _wsgi_app(provider_states: bool, secret: str | None = None) -> WSGIApp:
    from django.core.handlers.wsgi import WSGIHandler

    from conformance.reference.exposure import guard_provider_states
    from conformance.reference.views.provider_states import ENABLED_ENVIRON_KEY, PATH

    django_app = WSGIHandler()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ[ENABLED_ENVIRON_KEY] = provider_states
        return django_app(environ, start_response)

    return guard_provider_states(app, PATH, secret) if provider_states and secret else app


def _create_waitress(app: WSGIApp, host: str, port: int, threads: int) -> Any:
    from waitress.server import create_server

    from conformance.reference.channel import TaskFlushedChannel

    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="crux-reference",
                               clear_untrusted_proxy_headers=True, channel_timeout=30)
    except OSError as error:
        raise TargetError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    except ValueError:  # waitress: a host that resolves to nothing it can bind
        raise UsageError(f"cannot listen on {host}:{port}: not a usable host name or address") from None
    server.channel_class = TaskFlushedChannel
    return server
