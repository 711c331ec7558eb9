"""Keep Hypothesis's derived data (Unicode and codec tables, AST constants) in the user cache between runs.

Hypothesis stores what it computes once per machine under its storage directory, by default
``.hypothesis`` in the current directory: a run started from a fresh directory (CI checkouts, the
fault-bank self-test, a QA engineer's scratch folder) rebuilt the UTF-8 character map Schemathesis's
string generation needs, about two seconds of CPU, on every run. Pointing ``HYPOTHESIS_STORAGE_DIRECTORY``
at ``<user cache>/hypothesis`` (``conformance.user_cache``) makes that a one-time cost per machine and
stops runs from leaving ``.hypothesis`` folders behind. The fuzz stage keeps no example database
(``database = "none"`` in its settings), so nothing learned from one target is replayed against another.
A value the user set is left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from conformance.user_cache import cache_dir

ENV_VARIABLE = "HYPOTHESIS_STORAGE_DIRECTORY"


def use_user_cache_for_hypothesis() -> Path | None:
    """Set ``HYPOTHESIS_STORAGE_DIRECTORY`` to the user cache unless set; return the directory in use, if any.

    Must run before Hypothesis first touches its storage (it reads the variable once per process); the
    variable is inherited by xdist workers. When the cache cannot be created, nothing changes.
    """
    current = os.environ.get(ENV_VARIABLE, "").strip()
    if current:
        return Path(current)
    directory = cache_dir() / "hypothesis"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    os.environ[ENV_VARIABLE] = str(directory)
    return directory
