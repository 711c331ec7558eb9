"""Root pytest configuration: the project's own tests find ../shared and the package from here."""
