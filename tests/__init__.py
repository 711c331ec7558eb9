"""The project's own tests (a package so that ``tests.targets`` imports from anywhere)."""
