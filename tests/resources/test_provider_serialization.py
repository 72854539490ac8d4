"""The provider object the SDK pickles into the state as ``__provider``: tiny, by reference,
and the same bytes whatever directory the program runs from."""

from __future__ import annotations

import base64
import pickletools
import subprocess
import sys
from pathlib import Path

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_mparticle_wsync.resources import (
    ConnectionProvider,
    DataModelProvider,
    FieldTransformationProvider,
    PipelineProvider,
)
from pulumi_mparticle_wsync.resources._base import WarehouseSyncProvider

PROVIDERS = [ConnectionProvider, DataModelProvider, FieldTransformationProvider, PipelineProvider]

PROGRAM = """\
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mparticle_wsync.resources import (
    ConnectionProvider, DataModelProvider, FieldTransformationProvider, PipelineProvider,
)
for provider_class in (ConnectionProvider, DataModelProvider, FieldTransformationProvider, PipelineProvider):
    print(serialize_provider(provider_class()))
"""


@pytest.mark.parametrize("provider_class", PROVIDERS, ids=lambda c: c.__name__)
def test_pickled_by_reference_and_small(provider_class: type[WarehouseSyncProvider]) -> None:
    serialized = serialize_provider(provider_class())
    assert len(serialized) < 1024
    raw = base64.b64decode(serialized)
    opcodes = {op.name for op, _, _ in pickletools.genops(raw)}
    assert "STACK_GLOBAL" in opcodes or "GLOBAL" in opcodes  # a reference to the class ...
    assert provider_class.__module__.encode() in raw and provider_class.__name__.encode() in raw
    assert b"co_code" not in raw and b"_create_code" not in raw  # ... and no code
    restored = dill.loads(raw)
    assert type(restored) is provider_class
    assert vars(restored) == {}


def test_same_bytes_from_two_directories(tmp_path: Path) -> None:
    outputs = []
    for name in ("first", "second"):
        directory = tmp_path / name / "nested"
        directory.mkdir(parents=True)
        (directory / "__main__.py").write_text(PROGRAM)
        run = subprocess.run(
            [sys.executable, "__main__.py"],
            cwd=directory, capture_output=True, text=True, check=True, timeout=120,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].split()) == 4
    assert outputs[0].split() == [serialize_provider(p()) for p in PROVIDERS]
