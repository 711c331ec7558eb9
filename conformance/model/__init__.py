"""The contract as an executable model: orders, actors, requests and ``expect(order, actor, request)``.

Everything here is pure (no I/O, no pytest, no requests): the modules read side by side with
``../shared/CONTRACT.md``. ``states`` names the cancellation states and provider states, ``actors`` who
sends a request, ``requests`` what is sent (method, action, identifier spelling, body, trailing slash),
``expect`` the allowed answers of one cell, ``linearize`` the judge of simultaneous groups, ``judge`` the
attribution of a failing scenario, ``table`` the printable model. ``driver`` and ``machine`` are the
executable stage that sends model requests through the run's ``Client``; ``options`` is its pytest plugin.
"""
