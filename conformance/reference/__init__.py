"""The bundled reference implementation of the TIMP order-cancellation slice (Django REST framework).

``start_reference()`` runs it on a free loopback port for tests and for ``crux-conformance run``;
``crux-conformance serve`` (or ``python -m conformance.reference``) runs it in the foreground;
``process.start_reference_process`` runs it in a child process. Nothing here touches Django until a server starts.

Behaviour, decided once for every endpoint:

- order of checks: method (405 with ``Allow``) → authentication (401 with ``WWW-Authenticate: Token``)
  → organization type (409) → permission (403) → body (400 malformed JSON, 415 not JSON)
  → lookup within the requester's organization (404, also for other organizations' orders and
  malformed UUIDs) → state (422 unless the cancellation is pending);
- success of confirm/reject is 200 with ``{"order_uuid": ..., "messages": []}``; create order is 201;
- a URL without its trailing slash redirects: 301 for GET/HEAD, 308 (method kept) otherwise;
- tokens expire ``CRUX_REFERENCE_TOKEN_LIFETIME`` seconds after issue (default 7200, the docs' two hours);
- the database is a temporary SQLite file per process, or ``DATABASE_URL`` (PostgreSQL needs the
  ``postgres`` extra: ``pip install -e '.[postgres]'``); set ``CRUX_REFERENCE_SECRET_KEY`` when
  several processes share one database so their seeded sessions and passwords agree.
"""

from conformance.reference.server import ReferenceServer, start_reference

__all__ = ["ReferenceServer", "start_reference"]
