"""Release history: runs recorded in a database, compared, gated and charted.

- ``locations``: a ``--history`` value (SQLite path or URL, PostgreSQL URL) → where the history lives
- ``schema``: the tables, as versioned migrations for SQLite and PostgreSQL
- ``store``: the one reader and writer of the history database
- ``records``: what one recorded run and one release are
- ``certificates``: reading a ``certificate.json`` (or a report folder) and the digests it carries
- ``digests``: the suite's and the contract model's digests, for "run with the current suite"
- ``compare``: per-requirement transitions between two runs, rendered as text, Markdown or JSON
- ``release_gate``: the can-i-release decision with its reasons
- ``trend``: the per-requirement trend table, as text and as an HTML page with a chart
- ``step_summary``: the Markdown summary GitHub Actions shows (``GITHUB_STEP_SUMMARY``)
- ``after_run``: what ``run`` does after its reports are written: digests, history, signature
"""
