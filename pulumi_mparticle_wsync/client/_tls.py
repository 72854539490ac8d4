"""The TLS context of the client's connections: always verifying, built once per process.

httpx's default (``verify=True``) builds a context from certifi's CA bundle for every client. The
client passes this one instead, shared by every client of the process (an ``ssl.SSLContext`` is
safe to share): ``ssl.create_default_context`` (certificate chain and host name checked, TLS 1.2
or later) trusting, in order:

1. ``SSL_CERT_FILE``, then ``SSL_CERT_DIR``, as httpx itself honours them (a corporate CA);
2. certifi's bundle, as httpx's default: the same CAs on every system.

The system's hashed CA directory would be cheaper to load (OpenSSL reads a CA when a handshake
needs it: ~3 ms instead of ~45 ms for certifi's ~140 certificates), but it would change which CAs
are trusted from one machine to the next; that is not worth 40 ms (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import os
import ssl


def trust_source() -> tuple[str, str]:
    """Where the trusted CAs come from: ``("cafile" | "capath", path)``."""
    if os.environ.get("SSL_CERT_FILE"):
        return "cafile", os.environ["SSL_CERT_FILE"]
    if os.environ.get("SSL_CERT_DIR"):
        return "capath", os.environ["SSL_CERT_DIR"]
    import certifi

    return "cafile", certifi.where()


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """A verifying client context trusting the CAs of ``trust_source()`` (created once per process)."""
    kind, path = trust_source()
    if kind == "capath":
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)
