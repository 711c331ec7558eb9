"""The reference implementation's own tests: Django test client for behaviour, real HTTP for every REJ id."""
