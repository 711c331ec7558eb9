"""The bundled reference implementation of the TIMP order-cancellation slice (Django REST framework).

``start_reference()`` runs it on a free loopback port for tests and for ``crux-conformance run``;
``crux-conformance serve`` runs it in the foreground. Nothing here touches Django until a server starts.
"""

from conformance.reference.server import ReferenceServer, start_reference

__all__ = ["ReferenceServer", "start_reference"]
