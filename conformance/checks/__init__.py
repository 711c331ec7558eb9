"""The conformance checks: one pytest module per family, one test (or parametrized group) per requirement.

Run them with ``crux-conformance run`` or ``pytest -p conformance.plugin --pyargs conformance.checks``.
Every test carries ``@pytest.mark.requirement("REJ-xxx")`` and its name starts with ``test_rej_xxx``.
"""
