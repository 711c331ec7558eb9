"""The fuzz stage (REJ-060): Schemathesis driven by the generated OpenAPI spec, reaching the endpoint's logic.

``settings`` builds the Schemathesis configuration, ``spec`` loads and filters the spec, ``auth`` signs
requests with the run's token, ``identifiers`` mixes provisioned orders into generated UUIDs, ``checks``
adds REJ-023 and REJ-053, ``curl`` renders reproducible commands, ``observations`` tracks the status mix,
``session`` runs each case and ``plugin`` wires it all into pytest.
"""
