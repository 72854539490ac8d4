"""Engine tests run the real Pulumi CLI. A missing CLI is a failure, never a skip: CI must run them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .harness import EngineStack, missing_cli_message, new_stack, provider_config


@pytest.fixture(scope="session", autouse=True)
def _pulumi_cli() -> None:
    problem = missing_cli_message()
    if problem:
        pytest.fail(problem, pytrace=False)


StackFactory = Callable[..., EngineStack]


@pytest.fixture
def make_stack(tmp_path: Path, emulator: EmulatorHandle) -> StackFactory:
    """``make_stack(program, stack="test", workspace_id=..., project=..., config={...})``."""

    def factory(
        program: Callable[[], None],
        *,
        stack: str = "test",
        project: str = "wsync-test",
        workspace_id: str | None = None,
        config: dict[str, object] | None = None,
        home: Path | None = None,
    ) -> EngineStack:
        from pulumi import automation as auto

        settings = provider_config(emulator.url, workspace_id or emulator.workspace_id,
                                   emulator.client_id, emulator.client_secret)
        for key, value in (config or {}).items():
            settings[key] = value if isinstance(value, auto.ConfigValue) else auto.ConfigValue(str(value))
        return new_stack(home or tmp_path / f"{project}-{stack}", program, project=project, stack=stack,
                         config=settings)

    return factory
