"""Safety on shared environments: which targets are production, and what a read-only run may touch.

A target is production when its host is the host of a server the generated spec (``specs/openapi.yaml``,
from the docs) describes as Production, unless the config says ``[target] production = false``
explicitly. Destructive checks there need ``--allow-production`` (``config.Target.may_change_state``).

A read-only run (``destructive = false``) provisions nothing (``plugin.NoProvisioning``) and runs only the
checks not marked destructive, which send state-changing methods only to identifiers that name no order
(random UUIDs, malformed identifiers); ``tests/realworld/test_safety.py`` verifies that at a proxy.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from conformance.spec_document import SpecDocumentError, read_document

#: Used only when no spec file can be found: the Production host named in _documentation/getting_started.md.
FALLBACK_PRODUCTION_HOSTS = frozenset({"api.cruxconnect.com"})
SPEC_RELATIVE = Path("specs") / "openapi.yaml"


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` without port or brackets ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def production_hosts_in(spec_text: str) -> frozenset[str]:
    """Hosts of the spec's ``servers`` whose description names them Production (case-insensitive)."""
    try:
        document = yaml.safe_load(spec_text)
    except yaml.YAMLError:
        return frozenset()
    return _production_hosts_of(document)


def _production_hosts_of(document: object) -> frozenset[str]:
    servers = document.get("servers") if isinstance(document, dict) else None
    hosts = set()
    for server in servers if isinstance(servers, list) else []:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        if "production" in str(server.get("description", "")).lower() and host_of(server["url"]):
            hosts.add(host_of(server["url"]))
    return frozenset(hosts)


def _spec_path() -> Path | None:
    import conformance

    checkout = Path(conformance.__file__).resolve().parent.parent / SPEC_RELATIVE
    return checkout if checkout.is_file() else None


@functools.cache
def production_hosts() -> frozenset[str]:
    """The documented production hosts: from the generated spec's servers, else the fallback."""
    path = _spec_path()
    if path is not None:
        try:  # parsed once per spec content and process, shared with the fuzz stage (conformance.spec_document)
            hosts = _production_hosts_of(read_document(path))
        except (OSError, SpecDocumentError):
            hosts = frozenset()
        if hosts:
            return hosts
    return FALLBACK_PRODUCTION_HOSTS


def is_production_url(url: str | None, hosts: frozenset[str] | None = None) -> bool:
    """True when ``url``'s host is a documented production host (``hosts``, default: the spec's)."""
    if not url:
        return False
    return host_of(url) in (production_hosts() if hosts is None else hosts)
