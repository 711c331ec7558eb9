"""The fuzz stage (REJ-060): Schemathesis driven by the generated OpenAPI spec, reaching the endpoint's logic.

``settings`` builds the Schemathesis configuration (fixed part: the packaged ``schemathesis.toml``),
``spec`` loads and filters the spec, ``auth`` signs requests with the run's tokens, ``identifiers`` mixes
provisioned orders into generated UUIDs, ``checks`` adds REJ-020/010/011/012/042/023/053 checks,
``conformance.curl`` renders runnable commands with ``${VARIABLES}`` for secrets, ``failures`` shapes a failure's
report text, ``observations`` tracks the status mix, ``session`` sends each case, ``stateful`` follows
the spec's links, ``plugin`` wires it all into pytest and ``hooks`` into the ``st run`` command line.
"""
