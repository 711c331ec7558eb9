"""``serve`` stops on SIGINT and SIGTERM whatever dispositions it inherited.

A process started in the background by a non-interactive shell (``cmd &``, ``nohup``, many CI runners)
inherits SIGINT ignored, and Python then installs no handler of its own: Ctrl+C or ``kill -INT`` would
do nothing. ``install_stop_handlers`` sets both signals explicitly.
"""

from __future__ import annotations

import signal
from types import FrameType


def install_stop_handlers() -> None:
    """SIGINT raises KeyboardInterrupt and SIGTERM raises SystemExit(0) in the main thread, from now on."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _terminate)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)
