"""Every fault is real: its demonstration deviates on the faulty target and not on the clean styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.requirements import BY_ID, CATALOGUE
from tests.selftest.client import TargetClient
from tests.selftest.demonstrations import DEMONSTRATIONS
from tests.targets import FAULTS, STYLES, serve_target

TARGET_SOURCES = [Path(__file__).parents[1] / "targets" / name for name in ("app.py", "store.py", "accounts.py")]
HAND_WRITTEN_IDS = [r.id for r in CATALOGUE if r.mandatory and int(r.id.split("-")[1]) < 60]


def test_the_bank_holds_at_least_thirty_faults_each_naming_catalogue_ids():
    assert len(FAULTS) >= 30
    for fault in FAULTS.values():
        assert fault.requirement in BY_ID, fault
        assert all(also in BY_ID and also != fault.requirement for also in fault.also), fault


def test_the_bank_covers_every_hand_written_requirement():
    covered = {fault.requirement for fault in FAULTS.values()}
    assert sorted(set(HAND_WRITTEN_IDS) - covered) == []


def test_every_fault_is_one_switch_in_the_server_code():
    source = "\n".join(path.read_text(encoding="utf-8") for path in TARGET_SOURCES)
    for name in FAULTS:
        uses = re.findall(rf'"{re.escape(name)}"', source)
        assert 1 <= len(uses) <= 2, f"{name}: {len(uses)} switches"


def test_every_fault_has_a_demonstration():
    assert sorted(DEMONSTRATIONS) == sorted(FAULTS)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_fault_produces_its_deviation(fault):
    with serve_target(style=FAULTS[fault].style, fault=fault) as target:
        assert DEMONSTRATIONS[fault](TargetClient(target)), f"{fault}: {FAULTS[fault].description} not observed"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_no_demonstration_deviates_on_a_clean_style(style):
    with serve_target(style=style) as target:
        client = TargetClient(target)
        deviating = [fault for fault, demonstration in DEMONSTRATIONS.items() if demonstration(client)]
    assert deviating == []
