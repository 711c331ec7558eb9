"""REJ-060 for the reference: Schemathesis (positive and negative data, path and headers) on the reject operation.

The operation is described inline, as the docs describe it (a UUID path parameter, ``Authorization:
Token`` security, the docs' status table), so this test does not depend on the spec generator.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

DOCUMENTED = {
    "200": "OK", "201": "Created", "204": "No Content", "400": "Bad Request", "401": "Unauthorized",
    "403": "Permission Denied", "404": "Not Found", "405": "Method Not Allowed", "409": "Critical",
    "415": "Unsupported Media Type", "422": "Unprocessable Entity",
}
REJECT_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "CRUX TIMP reject order cancellation", "version": "1"},
    "paths": {
        "/timp/orders/cancel/{order_uuid}/reject/": {
            "patch": {
                "operationId": "oder_cancelation_reject",
                "parameters": [
                    {"name": "order_uuid", "in": "path", "required": True,
                     "schema": {"type": "string", "format": "uuid"}},
                ],
                "responses": {code: {"description": text} for code, text in DOCUMENTED.items()},
                "security": [{"tokenAuth": []}],
            }
        }
    },
    "components": {"securitySchemes": {"tokenAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}}},
}


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, negative_data_rejection,
          ignored_auth]


def _operation(reference):
    # an explicit empty config: no schemathesis.toml of the working directory applies here
    schema = schemathesis.openapi.from_dict(REJECT_SPEC, config=SchemathesisConfig())
    schema.config.update(base_url=reference.base_url, request_timeout=10)
    return schema["/timp/orders/cancel/{order_uuid}/reject/"]["PATCH"]


# schemathesis.pytest.from_fixture reads ``request.node._nodeid``, which pytest 9 no longer has, so the
# cases come from the operation's Hypothesis strategy instead of ``@schema.parametrize()``.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_rej_060_schemathesis_on_reject(reference, mode):
    operation = _operation(reference)
    token = {"Authorization": f"Token {reference.credentials['supplier']}"}
    seen = Counter()

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call_and_validate(headers=token, checks=CHECKS)
        seen[response.status_code] += 1

    run()
    assert seen and max(seen) < 500
    assert set(seen) <= {int(code) for code in DOCUMENTED}
