"""A private certificate authority made in the test (``cryptography``), and test targets served over TLS with it."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.targets.app import TargetApp
from tests.targets.http_server import TargetHTTPServer
from tests.targets.server import Target, serving
from tests.targets.styles import STYLES

STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class Pki:
    """PEM files: a CA, a server certificate it signed, a client certificate, and an unrelated CA."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _authority(common: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _leaf(
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey], common: str, names: list[str], usage
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if alternatives:
        builder = builder.add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def make_pki(folder: Path, names: list[str]) -> Pki:
    """Write a CA, a server certificate for ``names``, a client certificate and an unrelated CA into ``folder``."""
    ca = _authority("crux-conformance test CA")
    other = _authority("some other CA")
    server = _leaf(ca, names[0], names, ExtendedKeyUsageOID.SERVER_AUTH)
    client = _leaf(ca, "crux-conformance client", [], ExtendedKeyUsageOID.CLIENT_AUTH)
    files = {
        "ca": ca[0].public_bytes(serialization.Encoding.PEM),
        "server_cert": server[0].public_bytes(serialization.Encoding.PEM),
        "server_key": _key_pem(server[1]),
        "client_cert": client[0].public_bytes(serialization.Encoding.PEM),
        "client_key": _key_pem(client[1]),
        "other_ca": other[0].public_bytes(serialization.Encoding.PEM),
    }
    paths = {}
    for name, data in files.items():
        path = folder / f"{name}.pem"
        path.write_bytes(data)
        paths[name] = path
    return Pki(**paths)


@contextmanager
def serve_tls_target(pki: Pki, host: str = "127.0.0.1", *, require_client_cert: bool = False) -> Iterator[Target]:
    """A conformant test target (style ``json``) over HTTPS with ``pki``'s server certificate.

    ``host`` is the name the base URL uses (it must be among the certificate's names); with
    ``require_client_cert`` the server refuses clients without a certificate signed by the CA.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(pki.ca)
    app = TargetApp(STYLES["json"], None)
    server = TargetHTTPServer(("127.0.0.1", 0), app)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with serving(server, f"https://{host}:{server.server_address[1]}") as target:
        yield target
