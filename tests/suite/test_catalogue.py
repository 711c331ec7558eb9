"""Every requirement has a check, every check names a catalogued requirement, REJ-021's catalogue is rich."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import conformance.checks
from conformance.checks.malformed import LONG_NAME, UUID_PATTERN, catalogue
from conformance.requirements import BY_ID, CATALOGUE

# The checks' markers are registered by conformance.plugin, which this (project) session does not load.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")


def _checks() -> dict[str, set[str]]:
    """requirement id -> names of the check functions marked with it."""
    found: dict[str, set[str]] = {}
    for module_info in pkgutil.iter_modules(conformance.checks.__path__):
        if not module_info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"conformance.checks.{module_info.name}")
        for name, function in vars(module).items():
            if not name.startswith("test_"):
                continue
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "requirement":
                    found.setdefault(mark.args[0], set()).add(name)
    return found


def test_every_requirement_has_a_check_and_every_check_a_known_id():
    checks = _checks()
    assert set(checks) <= set(BY_ID), set(checks) - set(BY_ID)
    assert {req.id for req in CATALOGUE} <= set(checks), {req.id for req in CATALOGUE} - set(checks)


def test_check_names_carry_their_requirement_id():
    for requirement, names in _checks().items():
        number = requirement.split("-")[1]
        for name in names:
            if requirement != "REJ-060":  # the fuzz stage's own module names its tests
                assert re.match(rf"test_rej_{number}_", name), (requirement, name)


def test_malformed_catalogue_has_at_least_30_named_non_uuid_forms():
    forms = catalogue("3f756137-f575-4337-b61f-d55b917b146b")
    names = [name for name, _ in forms]
    assert len(forms) >= 30 and len(set(names)) == len(names)
    assert not any(UUID_PATTERN.match(segment) and segment != "00000000-0000-0000-0000-000000000000"
                   for _, segment in forms)
    assert len(dict(forms)[LONG_NAME]) == 4096
    assert all(" " not in segment and "/" not in segment for _, segment in forms)
