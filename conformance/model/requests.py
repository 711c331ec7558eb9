"""What a request sends: method, action, the spelling of the order's identifier, a body, the trailing slash.

Spellings apply to real orders and to unknown ones alike. Each has a class that decides what the contract
allows: ``canonical`` (the identifier itself), ``uppercase`` (REJ-022: the same order or no order),
``encoded`` (percent-encoding an unreserved character; RFC 3986 makes it the same identifier, so the same
order or a malformed one), ``malformed`` (REJ-021's catalogue, built around the order's own UUID).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from conformance.checks.malformed import LONG_NAME, catalogue

CANONICAL, UPPERCASE, ENCODED, MALFORMED = "canonical", "uppercase", "encoded", "malformed"
METHODS: tuple[str, ...] = ("PATCH", "GET", "POST", "PUT", "DELETE")
REJECT, CONFIRM = "reject", "confirm"


@dataclass(frozen=True)
class Spelling:
    """One way of writing an order's identifier in the path."""

    name: str
    kind: str  # CANONICAL, UPPERCASE, ENCODED or MALFORMED
    spell: Callable[[str], str]  # canonical UUID text -> path segment (already percent-encoded)

    def __repr__(self) -> str:
        return f"Spelling({self.name})"


_SAMPLE = "abcdef01-2345-4678-89ab-cdef01234567"  # any UUID: only the catalogue's names are read from it


def _percent_encode_first(uuid_text: str) -> str:
    return f"%{ord(uuid_text[0]):02X}" + uuid_text[1:]


def _catalogue_spelling(name: str) -> Spelling:
    return Spelling(name, MALFORMED, lambda uuid_text: dict(catalogue(uuid_text))[name])


SPELLINGS: tuple[Spelling, ...] = (
    Spelling("canonical", CANONICAL, lambda uuid_text: uuid_text),
    Spelling("uppercase", UPPERCASE, str.upper),
    Spelling("percent-encoded", ENCODED, _percent_encode_first),
    Spelling("percent-encoded-hyphen", ENCODED, lambda uuid_text: uuid_text.replace("-", "%2D", 1)),
    *(_catalogue_spelling(name) for name, _ in catalogue(_SAMPLE)),
)
BY_NAME: dict[str, Spelling] = {spelling.name: spelling for spelling in SPELLINGS}
#: Malformed spellings that contain the order's own UUID (the ones a lenient parser may resolve).
AROUND_THE_UUID = tuple(name for name, segment in catalogue(_SAMPLE) if _SAMPLE[-12:] in segment.lower())


@dataclass(frozen=True)
class Body:
    """A request body: its media type and bytes (None: no body at all)."""

    name: str
    content_type: str | None
    data: bytes | None
    kind: str  # "none", "empty-object", "unknown-fields", "invalid-json", "not-json"


BODIES: tuple[Body, ...] = (
    Body("none", None, None, "none"),
    Body("json-empty-object", "application/json", b"{}", "empty-object"),
    Body(
        "json-unknown-fields", "application/json", b'{"note": "crux-conformance", "unexpected": true}', "unknown-fields"
    ),
    Body("json-invalid", "application/json", b'{"note": ', "invalid-json"),
    Body("text-plain", "text/plain", b"reject", "not-json"),
)
BODY_BY_NAME: dict[str, Body] = {body.name: body for body in BODIES}


@dataclass(frozen=True)
class Request:
    """One request of the model: ``method`` on the ``action`` URL, the identifier spelled ``spelling``."""

    method: str = "PATCH"
    action: str = REJECT
    spelling: str = "canonical"
    body: str = "none"
    slash: bool = True

    def path(self, uuid_text: str) -> str:
        """The request's path for an order whose canonical identifier is ``uuid_text``."""
        segment = BY_NAME[self.spelling].spell(uuid_text)
        path = f"/timp/orders/cancel/{segment}/{self.action}/"
        return path if self.slash else path[:-1]

    def slashed_path(self, uuid_text: str) -> str:
        """The path with its trailing slash (where a redirect of the unslashed URL must point)."""
        return f"/timp/orders/cancel/{BY_NAME[self.spelling].spell(uuid_text)}/{self.action}/"

    @property
    def is_long(self) -> bool:
        """True for the 4 KB identifier (414 is allowed for it)."""
        return self.spelling == LONG_NAME

    def label(self) -> str:
        """A short human-readable label: ``PATCH reject canonical none``."""
        extras = [] if self.slash else ["no trailing slash"]
        return " ".join([self.method, self.action, self.spelling, f"body={self.body}", *extras])


#: The plain request every other one varies: ``supplier`` would send it to reject a pending cancellation.
PLAIN = Request()
CONFIRM_PROBE = Request(action=CONFIRM)


def encode_segment(text: str) -> str:
    """Percent-encode a raw identifier text as one path segment."""
    return quote(text, safe="")
