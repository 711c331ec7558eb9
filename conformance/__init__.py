"""crux-conformance: contract and conformance suite for CRUX TIMP's Reject Order Cancelation endpoint."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("crux-conformance")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
