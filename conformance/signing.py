"""Ed25519 signatures over a certificate: canonical form, key generation, fingerprint, sign and verify.

The signature lives inside ``certificate.json`` under the key ``signature``::

    {"algorithm": "Ed25519", "signer": "...", "key_fingerprint": "sha256:<hex>", "value": "<base64>"}

It covers the certificate's canonical form: the document without its ``signature`` key, as JSON with
sorted keys, no whitespace, UTF-8. Keys are PEM files: PKCS#8 for the private key (written 0600),
SubjectPublicKeyInfo for the public one. The fingerprint is sha256 of the raw 32-byte public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from conformance.errors import UsageError

ALGORITHM = "Ed25519"
SIGNATURE_KEY = "signature"


def canonical_bytes(certificate: Mapping[str, object]) -> bytes:
    """The bytes a signature covers: the certificate without ``signature``, sorted keys, no whitespace."""
    unsigned = {key: value for key, value in certificate.items() if key != SIGNATURE_KEY}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """``sha256:<hex>`` of the raw public key: what the certificate page and ``verify`` show."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def generate_key_pair(prefix: Path) -> tuple[Path, Path]:
    """Write a new private key to ``prefix`` (mode 0600) and its public key to ``prefix.pub``; refuse to overwrite."""
    private_path, public_path = Path(prefix), Path(f"{prefix}.pub")
    for path in (private_path, public_path):
        if path.exists():
            raise UsageError(f"keygen: {path} already exists; not overwriting a key")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_pem)
        public_path.write_bytes(public_pem)
    except OSError as error:
        raise UsageError(f"keygen: cannot write {error.filename or prefix} ({error.strerror})") from None
    return private_path, public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an unencrypted PEM Ed25519 private key; a bad file is one UsageError line."""
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise UsageError(f"{path}: not an unencrypted PEM private key ({type(error).__name__})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: not an Ed25519 key (generate one with crux-conformance keygen)")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read a PEM Ed25519 public key; a bad file is one UsageError line."""
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise UsageError(f"{path}: not a PEM public key ({type(error).__name__})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path}: not an Ed25519 public key")
    return key


def sign(certificate: Mapping[str, object], key: Ed25519PrivateKey, signer: str) -> dict[str, object]:
    """Return a copy of ``certificate`` carrying its ``signature`` (any earlier signature replaced)."""
    unsigned = {k: v for k, v in certificate.items() if k != SIGNATURE_KEY}
    value = key.sign(canonical_bytes(unsigned))
    return {
        **unsigned,
        SIGNATURE_KEY: {
            "algorithm": ALGORITHM,
            "signer": signer,
            "key_fingerprint": fingerprint(key.public_key()),
            "value": base64.b64encode(value).decode("ascii"),
        },
    }


def signature_problems(certificate: Mapping[str, object], public_key: Ed25519PublicKey) -> list[str]:
    """Everything wrong with the certificate's signature under ``public_key``, one line each; empty when valid."""
    signature = certificate.get(SIGNATURE_KEY)
    if not isinstance(signature, Mapping):
        return ["the certificate is not signed (no signature in certificate.json)"]
    if signature.get("algorithm") != ALGORITHM:
        return [f"signature algorithm {signature.get('algorithm')!r} is not {ALGORITHM}"]
    expected = fingerprint(public_key)
    recorded = signature.get("key_fingerprint")
    if recorded != expected:
        return [f"signed with key {recorded}, not with the given public key {expected}"]
    try:
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
        public_key.verify(value, canonical_bytes(certificate))
    except (InvalidSignature, ValueError):
        return ["the signature does not match the certificate: its content was changed after signing"]
    return []


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read the {what} ({error.strerror})") from None
