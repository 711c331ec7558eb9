"""The fuzz stage's options and the Schemathesis configuration built from them.

The fixed settings (checks, phases, expected statuses) live in the packaged ``schemathesis.toml`` next to
this module; the repository's root ``schemathesis.toml`` repeats them for the ``st run`` command line.
The per-run values (base URL, seed, example budget, derandomization) are layered on top here.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from schemathesis.config import ConfigError, SchemathesisConfig

from conformance.errors import UsageError

#: Examples per operation for the fuzzing phase: small enough for the default run's time goal.
DEFAULT_EXAMPLES = 40
MAX_EXAMPLES = 10_000
SETTINGS_RESOURCE = "schemathesis.toml"


@dataclass(frozen=True)
class FuzzOptions:
    """What the user chose for the fuzz stage (pytest options ``--spec``, ``--fuzz-examples``, ...)."""

    spec: Path | None = None
    examples: int = DEFAULT_EXAMPLES
    seed: int | None = None
    siblings: bool = False
    deterministic: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.examples <= MAX_EXAMPLES:
            raise UsageError(f"--fuzz-examples must be between 1 and {MAX_EXAMPLES}, got {self.examples}")
        if self.seed is not None and self.seed < 0:
            raise UsageError(f"--seed must be a non-negative integer, got {self.seed}")


def packaged_settings() -> dict[str, Any]:
    """The fixed settings of the packaged ``schemathesis.toml`` as a fresh dictionary."""
    text = resources.files("conformance.fuzz").joinpath(SETTINGS_RESOURCE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def build_config(options: FuzzOptions, base_url: str | None = None) -> SchemathesisConfig:
    """Return the Schemathesis configuration for one run: packaged settings plus the run's values."""
    data = copy.deepcopy(packaged_settings())
    if base_url:
        data["base-url"] = base_url
    if options.seed is not None:
        data["seed"] = options.seed
    generation = data.setdefault("generation", {})
    generation["max-examples"] = options.examples
    # An explicit seed wins: Hypothesis ignores the seed when derandomizing.
    generation["deterministic"] = options.deterministic and options.seed is None
    try:
        return SchemathesisConfig.from_dict(data)
    except ConfigError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UsageError(f"invalid fuzz settings: {first_line}") from None
