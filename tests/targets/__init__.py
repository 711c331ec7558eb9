"""Test targets: independent conformant servers in other styles and a bank of faulty ones.

from tests.targets import serve_target, FAULTS, STYLES
with serve_target(style="json", fault=None) as target:
    target.base_url, target.state_url, target.credentials, target.config_toml()
"""

from tests.targets.faults import FAULTS, Fault
from tests.targets.server import Target, serve_target
from tests.targets.styles import STYLES, Style

__all__ = ["FAULTS", "STYLES", "Fault", "Style", "Target", "serve_target"]
