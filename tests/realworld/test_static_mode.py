"""Mode ``static`` on a shared environment: listed orders, each used at most once; running out is exit 2."""

from __future__ import annotations

import re
from collections import Counter

from conformance.config import parse_config
from conformance.provisioning import make_provisioner
from conformance.provisioning.states import WITHOUT_CANCELLATION
from tests.realworld.conftest import NOT_FUZZ, with_base_url


def _static_config(reference, base_url: str, lists: dict[str, list[str]]) -> str:
    text = with_base_url(reference.config_toml(), base_url)
    text = text.replace('mode = "api"', 'mode = "static"')
    text = re.sub(r"\[provisioning\.api\][^\[]*", "", text)
    entries = "\n".join(
        f"{key} = [{', '.join(f'{u!r}' for u in uuids)}]".replace("'", '"') for key, uuids in lists.items()
    )
    return text + "\n[provisioning.static]\n" + entries + "\n"


def test_a_lacking_state_is_named_and_the_run_exits_2(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    maker = make_provisioner(parse_config(api_reference.config_toml(), "reference"))
    without = [maker.order(WITHOUT_CANCELLATION) for _ in range(2)]
    text = _static_config(api_reference, base_url, {"without_cancellation": without, "confirmed": []})
    outcome = run_cli("--config", str(write_config(text)), *NOT_FUZZ, "-k", "rej_011 or rej_012")
    assert outcome.code == 2, outcome.stdout[-2000:]
    last = outcome.stderr.strip().splitlines()[-1]
    assert "no unused `confirmed` order left in [provisioning.static]" in last
    assert "'a confirmed order cancellation'" in last
    rejects = Counter(s.path for s in recording.snapshot() if s.path.endswith("/reject/"))
    assert rejects and set(rejects.values()) == {1}, rejects  # REJ-011 used one listed order, once
    assert not [s for s in recording.snapshot() if s.path in ("/timp/orders/create/", "/timp/orders/cancel/")]
