"""OpenAPI ``links``: where one operation's request or answer names another's path parameter.

A success response gets a link to every operation whose path parameter has the same, specific
name (``order_uuid``, not a bare ``uuid``) as a top-level property of the response example
(``$response.body#/order_uuid``) or of the request body it answers (``$request.body#/order_uuid``).
So create order and cancel order lead to reject, confirm and the other per-order operations.
"""

from __future__ import annotations

from typing import Any

from conformance.specgen.operations import Operation

TOO_GENERIC = frozenset({"uuid", "id", "token", "name"})


def add_links(operations: list[Operation]) -> None:
    """Add ``links`` to the 2xx responses of operations that feed another's path parameter."""
    targets = [
        (operation, parameter["name"])
        for operation in operations
        for parameter in operation.spec.get("parameters", [])
        if parameter["in"] == "path" and parameter["name"] not in TOO_GENERIC
    ]
    for source in operations:
        request_keys = _request_keys(source.spec)
        for code, response in source.spec["responses"].items():
            if not code.startswith("2"):
                continue
            response_keys = _response_keys(response)
            links: dict[str, Any] = {}
            for target, name in sorted(targets, key=lambda item: item[0].spec["operationId"]):
                if target.path == source.path:
                    continue
                if name in response_keys:
                    expression = f"$response.body#/{name}"
                elif name in request_keys:
                    expression = f"$request.body#/{name}"
                else:
                    continue
                target_id = target.spec["operationId"]
                links[target_id] = {
                    "operationId": target_id,
                    "parameters": {name: expression},
                    "description": f"`{name}` from {source.spec['operationId']} feeds {target_id}",
                }
            if links:
                response["links"] = links


def _request_keys(spec: dict[str, Any]) -> set[str]:
    content = spec.get("requestBody", {}).get("content", {})
    media = content.get("application/json", {})
    return set(media.get("schema", {}).get("properties", {}))


def _response_keys(response: dict[str, Any]) -> set[str]:
    example = response.get("content", {}).get("application/json", {}).get("example")
    return set(example) if isinstance(example, dict) else set()
