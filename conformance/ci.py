"""Whether a CI system runs us: the one rule every derandomized generator follows."""

from __future__ import annotations

import os

#: Values of ``CI`` that mean "not in CI" (most CI systems set ``CI=true``; a developer may set ``CI=false``).
NOT_CI = frozenset({"", "0", "false", "no", "off"})


def running_in_ci() -> bool:
    """True when the ``CI`` variable says a CI system runs us (generation is then derandomized)."""
    return os.environ.get("CI", "").strip().lower() not in NOT_CI
