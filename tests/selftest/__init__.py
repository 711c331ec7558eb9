"""Self-tests: the targets behave as specified, and the real suite judges them correctly."""
