"""Root pytest configuration: the project's own tests find ../shared and the package from here."""

#: ``pytester`` drives the suite's plugin in-process (tests/plugin): its hooks are tested on their own.
pytest_plugins = ["pytester"]
