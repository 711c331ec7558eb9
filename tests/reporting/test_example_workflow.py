"""The documented release-gate workflow stays true: valid YAML, a config our loader accepts, no literal secret."""

import re
import textwrap

import yaml

from conformance.config import ROLES, parse_config


def test_example_workflow_runs_the_suite_with_secrets_from_ci_and_keeps_the_reports(repo_root, monkeypatch):
    workflow = yaml.safe_load((repo_root / "examples" / "github-actions-staging.yml").read_text())
    steps = workflow["jobs"]["conformance"]["steps"]
    run_step = next(step for step in steps if "crux-conformance run" in step.get("run", ""))
    assert all(re.fullmatch(r"\$\{\{ secrets\.[A-Z_]+ \}\}", value) for value in run_step["env"].values())
    upload = next(step for step in steps if "upload-artifact" in step.get("uses", ""))
    assert upload["if"] == "always()" and upload["with"]["path"] == "reports/"

    config_step = next(step for step in steps if "conformance.toml" in step.get("run", ""))
    toml_text = textwrap.dedent(config_step["run"].split("<<'TOML'\n", 1)[1].rsplit("TOML", 1)[0])
    for name in run_step["env"]:
        monkeypatch.setenv(name, "http://127.0.0.1:9" if name.endswith("_URL") else f"value-of-{name}")
    config = parse_config(toml_text, "example workflow")
    assert config.target.base_url == "http://127.0.0.1:9"
    assert sorted(config.credentials.secrets) == sorted(ROLES)
