"""Secret redaction: every configured secret becomes ``***`` in any text the suite shows or stores."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"


class Redactor:
    """Replaces every known secret (and its URL-encoded forms) by ``***`` in text and bytes."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms.update({secret, quote(secret, safe=""), quote_plus(secret, safe="")})
        # Longest first, so a secret containing another is masked whole.
        self._forms = tuple(sorted(forms, key=len, reverse=True))
        self._byte_forms = tuple(form.encode("utf-8") for form in self._forms)

    def __repr__(self) -> str:
        return f"Redactor({len(self._forms)} forms)"

    def text(self, value: object) -> str:
        """Return ``str(value)`` with every secret replaced by ``***``."""
        result = str(value)
        for form in self._forms:
            result = result.replace(form, MASK)
        return result

    def data(self, value: bytes) -> bytes:
        """Return ``value`` with every secret's UTF-8 form replaced by ``***``."""
        for form in self._byte_forms:
            value = value.replace(form, MASK.encode())
        return value

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """Return header pairs with secrets masked (values only; names are never secret)."""
        return tuple((name, self.text(value)) for name, value in headers)
