"""The contract as an executable model: orders, actors, requests and ``expect(order, actor, request)``.

Pure (no I/O, no pytest, no requests), readable side by side with ``../shared/CONTRACT.md``: ``states``
(cancellation states, provider states), ``actors`` (who sends), ``requests`` (method, action, identifier
spelling, body, trailing slash), ``expect`` (the allowed answers of one cell and its rows), ``linearize``
(simultaneous groups), ``judge`` (which step broke which row), ``responses`` (rows judged on one response),
``table`` (the printable model and its digest), ``strategies`` (Hypothesis strategies).

The executable stage: ``driver`` sends a model request through the run's ``Client``, ``machine`` is the
Hypothesis state machine and ``run_model``, ``harness`` runs it in-process from a config, ``options`` is
its pytest plugin (options, marker, budget, summary line).
"""
