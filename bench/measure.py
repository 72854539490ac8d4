"""One measured stack life: up (create), preview (no changes), refresh, destroy.

Each operation is timed around the Automation API call (so the figure includes the CLI's own
start-up, as ``pulumi up`` on a terminal would), the emulator's request log is read after it,
and the provider process's peak memory is sampled while it runs. Every operation is checked
too (N creates, a preview without changes, an empty workspace after destroy): a benchmark of
a run that silently did something else would be worse than none.
"""

from __future__ import annotations

import json
import resource
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from provider_monitor import ProviderMonitor, process_cpu_seconds

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import RequestRecord
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY
from tests.engine.harness import EngineStack, new_stack, provider_config

BENCH_DIR: Final = Path(__file__).resolve().parent
OPERATIONS: Final = ("up", "preview", "refresh", "destroy")
DYNAMIC_TYPE_PREFIX: Final = "pulumi-python:dynamic/"


class BenchCheckError(RuntimeError):
    """An operation did not do what the benchmark expects; its figures would mean nothing."""


@dataclass(frozen=True)
class OperationResult:
    seconds: float
    """Wall time of the Automation API call."""
    cpu_seconds: float
    """CPU time of our side: this process (the inline program) and its children (the CLI, the
    provider process). Less sensitive than wall time to a busy machine."""
    provider_cpu_seconds: float
    own_cpu_seconds: float
    """CPU time of this process alone: the inline program and the Automation API serving it."""
    emulator_cpu_seconds: float
    """CPU time of the emulator's process (the API's side: not counted in ``cpu_seconds``)."""
    requests: Counter[str]
    """API calls by ``"METHOD collection"``; token calls under ``"POST token"``."""
    provider_peak_mib: float | None
    provider_processes: int
    request_end_times: tuple[float, ...] = ()
    """When the emulator answered each call (its clock), for the in-flight analysis of latency runs."""

    @property
    def request_total(self) -> int:
        return sum(self.requests.values())


@dataclass
class StackRun:
    variant: str
    resources: int
    latency_ms: float
    operations: dict[str, OperationResult] = field(default_factory=dict)
    provider_bytes_per_resource: float = 0.0
    state_bytes_per_resource: float = 0.0


def _request_counts(records: Sequence[RequestRecord]) -> Counter[str]:
    return Counter(f"{record.method} {record.collection or record.path}" for record in records)


def _cpu_now() -> tuple[float, float]:
    """CPU seconds of this process, and of its children (the CLI and what it waited for, the provider
    process among them) once they have exited."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _emulator_cpu(emulator: EmulatorHandle) -> float:
    if emulator.process_id is None:
        raise BenchCheckError("the bench needs the emulator in a process of its own (emulator_process)")
    seconds = process_cpu_seconds(emulator.process_id)
    if seconds is None:
        raise BenchCheckError(f"the emulator's process {emulator.process_id} is gone")
    return seconds


def _timed(emulator: EmulatorHandle, action: Callable[[], Any]) -> tuple[Any, OperationResult]:
    emulator.control.clear_log()
    with ProviderMonitor() as monitor:
        own_before, children_before = _cpu_now()
        emulator_before = _emulator_cpu(emulator)
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
        own_after, children_after = _cpu_now()
        emulator_after = _emulator_cpu(emulator)
    records = emulator.control.requests()
    return result, OperationResult(
        seconds=seconds,
        cpu_seconds=own_after - own_before + children_after - children_before,
        provider_cpu_seconds=monitor.cpu_seconds,
        own_cpu_seconds=own_after - own_before,
        emulator_cpu_seconds=emulator_after - emulator_before,
        requests=_request_counts(records),
        provider_peak_mib=monitor.peak_mib,
        provider_processes=monitor.processes,
        request_end_times=tuple(record.time for record in records),
    )


def _dynamic_resources(state: dict[str, Any]) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = state.get("resources", [])
    return [r for r in resources if str(r.get("type", "")).startswith(DYNAMIC_TYPE_PREFIX)]


def _state_sizes(stack: EngineStack, expected: int) -> tuple[float, float]:
    """Bytes of ``__provider`` (outputs only) and of the whole deployment, per resource."""
    state = stack.exported_state()
    dynamic = _dynamic_resources(state)
    if len(dynamic) != expected:
        raise BenchCheckError(f"the state holds {len(dynamic)} dynamic resources, expected {expected}")
    provider_bytes = sum(len(json.dumps(r["outputs"][PROVIDER_KEY])) for r in dynamic)
    return provider_bytes / expected, len(json.dumps(state)) / expected


def _check_changes(operation: str, changes: dict[str, int] | None, expected: dict[str, int]) -> None:
    actual = {kind: count for kind, count in (changes or {}).items() if count}
    if actual != expected:
        raise BenchCheckError(f"{operation} made changes {actual}, expected {expected}")


def _emulator_objects(emulator: EmulatorHandle) -> int:
    return sum(len(emulator.control.list_objects(emulator.workspace_id, c)) for c in wire.COLLECTIONS)


def run_stack_life(
    *,
    variant: str,
    program: Callable[[], None],
    resources: int,
    emulator: EmulatorHandle,
    home: Path,
    latency_ms: float = 0.0,
    touches_api: bool,
) -> StackRun:
    """Create, preview, refresh and destroy one stack of ``resources`` resources; measure each step."""
    stack = new_stack(
        home,
        program,
        project="wsync-bench",
        stack=f"{variant}-{resources}",
        config=provider_config(emulator.url, emulator.workspace_id, emulator.client_id, emulator.client_secret),
    )
    # The provider process must import bench/floor_provider.py; both variants get the same env.
    workspace = stack.stack.workspace
    workspace.env_vars = {**workspace.env_vars, "PYTHONPATH": str(BENCH_DIR)}
    run = StackRun(variant, resources, latency_ms)
    created_objects = resources if touches_api else 0

    up, run.operations["up"] = _timed(emulator, stack.up)
    _check_changes("up", up.result.summary.resource_changes, {"create": resources + 1})  # + the stack itself
    if _emulator_objects(emulator) != created_objects:
        raise BenchCheckError(f"after up the emulator holds {_emulator_objects(emulator)} objects")
    run.provider_bytes_per_resource, run.state_bytes_per_resource = _state_sizes(stack, resources)

    preview, run.operations["preview"] = _timed(emulator, stack.preview)
    _check_changes("preview", preview.result.change_summary, {"same": resources + 1})

    refresh, run.operations["refresh"] = _timed(emulator, stack.refresh)
    _check_changes("refresh", refresh.result.summary.resource_changes, {"same": resources + 1})

    destroy, run.operations["destroy"] = _timed(emulator, stack.destroy)
    _check_changes("destroy", destroy.result.summary.resource_changes, {"delete": resources + 1})
    if _emulator_objects(emulator) != 0:
        raise BenchCheckError(f"after destroy the emulator still holds {_emulator_objects(emulator)} objects")
    stack.stack.workspace.remove_stack(stack.stack.name)
    return run
