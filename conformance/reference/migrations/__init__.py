"""Database migrations of the reference app."""
