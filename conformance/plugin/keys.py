"""The plugin's keys: where its session object lives in ``config.stash`` and what xdist workers hand back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    pass

#: The one object that holds every piece of the session's state.
SESSION = pytest.StashKey["RunSession"]()

#: ``workeroutput`` fields an xdist worker fills for the controller.
WORKER_TRAFFIC = "conformance_traffic"
WORKER_ORDERS = "conformance_orders"
WORKER_STOP = "conformance_stop_reason"
