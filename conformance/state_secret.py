"""The provider-states secret's names, shared by the suite's state-url provisioner and the reference's ``serve``.

A provider-states endpoint reachable from the network must not set up orders for anyone: the suite sends
``[provisioning] state_secret`` in ``SECRET_HEADER`` with every setup call, and ``serve`` refuses calls
without it when it is given one.
"""

SECRET_HEADER = "X-Provider-States-Secret"  # noqa: S105 - a header name, not a secret
"""The request header that carries the provider-states secret."""

SECRET_ENVIRONMENT_VARIABLE = "CRUX_PROVIDER_STATES_SECRET"  # noqa: S105 - a variable name, not a secret
"""Where ``serve`` reads the secret when ``--provider-states-secret`` is not given."""
