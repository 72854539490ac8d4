"""Client tests start with a process that has learned no run routes (``client._routes``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_mparticle_wsync.client import forget_learned_routes


@pytest.fixture(autouse=True)
def _no_learned_routes() -> Iterator[None]:
    forget_learned_routes()
    yield
    forget_learned_routes()
