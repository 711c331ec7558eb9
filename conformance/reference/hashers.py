"""The password hasher: real PBKDF2, with fewer rounds so a test server starts in well under a second."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ReferencePasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 at 20,000 rounds: a test fixture, not a production password store."""

    algorithm = "pbkdf2_sha256_reference"
    iterations = 20_000
