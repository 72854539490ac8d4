"""The client's TLS context (``client/_tls.py``): where it takes its CAs from, and that it verifies.

The handshake tests run a local TLS server with a throwaway self-signed certificate (made with the
``openssl`` command, skipped without it): the context trusts it only when it is in the configured
trust store (as a bundle file or a hashed directory), and rejects it otherwise.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pulumi_mparticle_wsync.client import WarehouseSyncClient, _tls

from .client_fakes import make_settings

OPENSSL = shutil.which("openssl")


@pytest.fixture(autouse=True)
def _fresh_context(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    _tls.ssl_context.cache_clear()
    yield
    _tls.ssl_context.cache_clear()


def test_the_context_verifies_chain_and_host_name() -> None:
    context = _tls.ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert _tls.ssl_context() is context  # one per process


def test_the_environment_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert _tls.trust_source() == ("capath", str(tmp_path))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "bundle.pem"))
    assert _tls.trust_source() == ("cafile", str(tmp_path / "bundle.pem"))


def test_certifi_otherwise_even_where_the_system_has_a_ca_directory(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    """The same trusted CAs on every machine: the system's directory is never used unless named."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    paths = ssl.get_default_verify_paths()
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: paths._replace(capath=str(tmp_path)))
    (tmp_path / "5ad8a5d6.0").write_text("a hashed link")
    import certifi

    assert _tls.trust_source() == ("cafile", certifi.where())


def test_a_given_transport_needs_no_context(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> tuple[str, str]:
        raise AssertionError("the TLS context was created")

    monkeypatch.setattr(_tls, "trust_source", refuse)
    with WarehouseSyncClient(make_settings(), httpx.MockTransport(lambda _: httpx.Response(200))):
        pass


# --- handshakes against a local server ------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if OPENSSL is None:
        pytest.skip("no openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def _handshake(certificate: tuple[Path, Path], context: ssl.SSLContext, host: str = "localhost") -> None:
    """A TLS handshake of ``context`` with a local server presenting ``certificate``, reached as ``host``."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(*certificate)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            connection, _ = listener.accept()
            try:
                with server_context.wrap_socket(connection, server_side=True) as tls:
                    tls.recv(1)
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                    context.wrap_socket(raw, server_hostname=host) as tls:
                tls.sendall(b"x")
        finally:
            thread.join(timeout=10)


def test_a_certificate_outside_the_trust_store_is_rejected(certificate: tuple[Path, Path]) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(certificate, _tls.ssl_context())


def test_a_trusted_bundle_file(monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    _handshake(certificate, _tls.ssl_context())


def test_a_trusted_hashed_directory(monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path],
                                    tmp_path: Path) -> None:
    assert OPENSSL is not None
    subject_hash = subprocess.run([OPENSSL, "x509", "-hash", "-noout", "-in", str(certificate[0])],
                                  check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    directory = tmp_path / "certs"
    directory.mkdir()
    shutil.copy(certificate[0], directory / f"{subject_hash}.0")
    monkeypatch.setenv("SSL_CERT_DIR", str(directory))
    # The directory is read lazily, when a handshake needs a CA: the new context holds none yet.
    assert _tls.ssl_context().get_ca_certs() == []
    _handshake(certificate, _tls.ssl_context())


def test_the_host_name_is_checked(monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(certificate, _tls.ssl_context(), host="api.mparticle.com")
