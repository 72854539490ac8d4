"""The TLS context of the client's connections: always verifying, and cheap to create.

httpx's default (``verify=True``) parses certifi's whole CA bundle (~140 certificates) when the
client is created: about 45 ms of CPU, paid by every provider process that calls the API
(issue 15). OpenSSL can instead look a CA up in a hashed certificate directory (the system's,
``/etc/ssl/certs`` on Debian and most Linux distributions) when a chain needs it, reading one or
two files per handshake: creating the context then costs about 3 ms. Verification is the same in
both cases: ``ssl.create_default_context`` (certificate chain and host name checked, TLS 1.2 or
later), only where the trusted CAs come from differs. In order:

1. ``SSL_CERT_FILE``, then ``SSL_CERT_DIR``, as httpx itself honours them (a corporate CA);
2. the system's hashed CA directory, when OpenSSL's default one exists and holds certificates;
3. certifi's bundle (as httpx's default), where the system has no CA directory (macOS and
   Windows builds of Python, slim containers without ``ca-certificates``).

One context serves every client of the process (an ``ssl.SSLContext`` is safe to share).
"""

from __future__ import annotations

import functools
import os
import re
import ssl

_HASHED_NAME = re.compile(r"[0-9a-f]{8}\.[0-9]+")


def _has_hashed_certificates(directory: str) -> bool:
    """Whether ``directory`` holds OpenSSL's hashed links (``5ad8a5d6.0``): what ``capath`` looks up."""
    try:
        with os.scandir(directory) as entries:
            return any(_HASHED_NAME.fullmatch(entry.name) for entry in entries)
    except OSError:
        return False


def trust_source() -> tuple[str, str]:
    """Where the trusted CAs come from: ``("cafile" | "capath", path)``."""
    if os.environ.get("SSL_CERT_FILE"):
        return "cafile", os.environ["SSL_CERT_FILE"]
    if os.environ.get("SSL_CERT_DIR"):
        return "capath", os.environ["SSL_CERT_DIR"]
    system_dir = ssl.get_default_verify_paths().capath
    if system_dir and _has_hashed_certificates(system_dir):
        return "capath", system_dir
    import certifi

    return "cafile", certifi.where()


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """A verifying client context trusting the CAs of ``trust_source()`` (created once per process)."""
    kind, path = trust_source()
    if kind == "capath":
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)
