"""Benchmark: this package's providers against a do-nothing floor, under the real Pulumi engine.

    .venv/bin/python bench/run.py                      # N = 25, 100, 250, 3 runs each; 100 ms latency at 100 and 250
    .venv/bin/python bench/run.py --sizes 25,100 --latency-ms 0 --repeat 1
    .venv/bin/python bench/run.py --quick              # a fast sanity run (N = 8, one run)
    .venv/bin/python bench/run.py --sizes 25,1000 --latency-ms 0   # growth up to 1,000 resources

For every N: a fresh stack of the same shape (``stack_shape.py``) is created, previewed,
refreshed and destroyed with our resources against the emulator, and with the trivial
``FloorResource`` (the engine's own cost), alternating, ``--repeat`` times each. The emulator
runs in a process of its own: it stands for mParticle's servers, so its CPU time is shown apart
and not counted in ours.
Printed (medians): wall and CPU time per operation with the ratio ours/floor, API requests
from the emulator's log, the provider process's peak memory and CPU time, ``__provider`` and
state bytes per resource, how each operation grows from the smallest N to the largest, and how
well injected API latency is overlapped; the targets (ours/floor at most 1.15 at N = 100, wall
and CPU, and the request counts) as PASS/FAIL lines. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Final

BENCH_DIR: Final = Path(__file__).resolve().parent
REPO_ROOT: Final = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:  # for tests.engine.harness
    sys.path.insert(1, str(REPO_ROOT))

from bytecode import compile_measured_code  # noqa: E402
from measure import StackRun, run_stack_life  # noqa: E402
from report import (  # noqa: E402
    FLOOR,
    OURS,
    PROVIDER_CONCURRENCY,
    Summary,
    comparison_table,
    cpu_split_table,
    growth_table,
    latency_table,
    state_table,
    summarise,
    targets,
)
from stack_shape import floor_program, ours_program  # noqa: E402

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, emulator_process  # noqa: E402
from tests.engine.harness import PULUMI_BIN, missing_cli_message  # noqa: E402

DEFAULT_SIZES: Final = (25, 100, 250)
DEFAULT_LATENCY_SIZES: Final = (100, 250)
DEFAULT_REPEAT: Final = 3
QUICK_SIZE: Final = 8
WARM_UP_SIZE: Final = 4
TARGET_SIZE: Final = 100
TARGET_RATIO: Final = 1.15
ENGINE_PARALLELISM: Final = 8  # the `--parallel` default that `pulumi up --help` shows for this CLI
PACKAGES: Final = ("pulumi", "httpx", "pydantic", "grpcio", "dill", "starlette", "uvicorn")


def sizes(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated resource counts such as 25,100 (got {text!r})"
        ) from None
    if not values or any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(f"every size must be a positive resource count (got {text!r})")
    return values


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                     allow_abbrev=False)
    parser.add_argument("--sizes", type=sizes, default=DEFAULT_SIZES,
                        help="resource counts, comma-separated (default: 25,100,250)")
    parser.add_argument("--latency-ms", type=float, default=100.0,
                        help="emulator latency for the latency runs, per request; 0 skips them (default: 100)")
    parser.add_argument("--latency-sizes", type=sizes, default=None,
                        help="resource counts of the latency runs (default: those of 100,250 that --sizes "
                             "measures, else the largest size)")
    parser.add_argument("--repeat", type=int, default=None,
                        help=f"runs of each stack life; the median is reported (default: {DEFAULT_REPEAT}, "
                             "1 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help=f"fast sanity run: N = {QUICK_SIZE} only, latency at N = {QUICK_SIZE}, one run, "
                             "no warm-up")
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 1 if args.quick else DEFAULT_REPEAT
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.latency_ms < 0:
        parser.error("--latency-ms must be 0 (no latency runs) or a positive delay")
    if args.quick:
        args.sizes = (QUICK_SIZE,)
        args.latency_sizes = (QUICK_SIZE,)
    if args.latency_sizes is None:
        args.latency_sizes = tuple(n for n in DEFAULT_LATENCY_SIZES if n in args.sizes) or (max(args.sizes),)
    return args


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cli_version() -> str:
    try:
        answer = subprocess.run([str(PULUMI_BIN / "pulumi"), "version"], capture_output=True, text=True,
                                check=True, timeout=60, env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"})
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return answer.stdout.strip()


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def machine_lines() -> list[str]:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES)
    return [
        f"date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"machine: {os.cpu_count()} CPUs ({_cpu_model()}), {_memory_gib()} RAM, {platform.platform()}",
        f"python {platform.python_version()}; Pulumi CLI {_cli_version()}; {versions}",
        f"engine parallelism {ENGINE_PARALLELISM} (CLI default); provider process serves at most "
        f"{PROVIDER_CONCURRENCY} calls at once",
        f"load average at start (1/5/15 min): {_load()}",
    ]


class Bench:
    def __init__(self, emulator: EmulatorHandle, scratch: Path) -> None:
        self.emulator = emulator
        self.scratch = scratch
        self._lives = 0

    def life(self, variant: str, resources: int, latency_ms: float = 0.0) -> StackRun:
        self._lives += 1
        program = ours_program(resources) if variant == OURS else floor_program(resources)
        started = time.perf_counter()
        run = run_stack_life(
            variant=variant,
            program=program,
            resources=resources,
            emulator=self.emulator,
            home=self.scratch / f"{self._lives:03d}-{variant}-{resources}",
            latency_ms=latency_ms,
            touches_api=variant == OURS,
        )
        latency = f", {latency_ms:g} ms latency" if latency_ms else ""
        steps = "  ".join(f"{name} {result.seconds:.1f}s" for name, result in run.operations.items())
        print(f"  {variant:5} N={resources}{latency}: {steps}  ({time.perf_counter() - started:.0f}s)", flush=True)
        return run

    def pair(self, resources: int, repeat: int) -> tuple[Summary, Summary]:
        """Floor and ours, alternating which goes first so that slow drift of the machine cancels."""
        runs: dict[str, list[StackRun]] = {FLOOR: [], OURS: []}
        for round_index in range(repeat):
            order = (FLOOR, OURS) if round_index % 2 == 0 else (OURS, FLOOR)
            for variant in order:
                runs[variant].append(self.life(variant, resources))
        return summarise(runs[FLOOR]), summarise(runs[OURS])

    def with_latency(self, resources: int, latency_ms: float, repeat: int) -> Summary:
        fault = self.emulator.control.add_fault("latency", latency_ms=latency_ms)
        try:
            return summarise([self.life(OURS, resources, latency_ms) for _ in range(repeat)])
        finally:
            self.emulator.control.remove_fault(fault)


@contextmanager
def bench_session(scratch_prefix: str) -> Iterator[tuple[list[str], Path, EmulatorHandle]]:
    """What every bench script starts with: the CLI checked (else an error and exit status 2), the
    measured code compiled, the machine's lines printed; yields them, a scratch directory and an
    emulator in a process of its own."""
    problem = missing_cli_message()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(2)
    machine = [*machine_lines(), compile_measured_code()]
    print("\n".join(machine), flush=True)
    with tempfile.TemporaryDirectory(prefix=scratch_prefix) as scratch, emulator_process() as emulator:
        yield machine, Path(scratch), emulator


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with bench_session("wsync-bench-") as (machine, scratch, emulator):
        bench = Bench(emulator, scratch)
        if not args.quick:
            print(f"warm-up (N={WARM_UP_SIZE}, not reported)", flush=True)
            bench.pair(WARM_UP_SIZE, 1)
        pairs: list[tuple[Summary, Summary]] = []
        for resources in sorted(args.sizes):
            print(f"N={resources}", flush=True)
            pairs.append(bench.pair(resources, args.repeat))
        slow: list[Summary] = []
        if args.latency_ms > 0:
            for resources in sorted(args.latency_sizes):
                print(f"N={resources} with {args.latency_ms:g} ms latency", flush=True)
                slow.append(bench.with_latency(resources, args.latency_ms, args.repeat))
                if resources not in {ours.resources for _, ours in pairs}:
                    pairs.append(bench.pair(resources, args.repeat))
    pairs.sort(key=lambda pair: pair[1].resources)
    ours_by_size = {ours.resources: ours for _, ours in pairs}

    print()
    print("\n".join(machine))
    print(f"load average at end: {_load()}; repeats per stack life: {args.repeat} (median reported)")
    print("\nWall time and CPU time per operation (CPU: the program, the CLI and the provider process, not the "
          "emulator)")
    print(comparison_table(pairs))
    print("\nCPU time by process (medians)")
    print(cpu_split_table(pairs))
    print("\nState size per resource (bytes of JSON)")
    print(state_table(pairs))
    if len(pairs) > 1:
        print(f"\nGrowth from N={pairs[0][1].resources} to N={pairs[-1][1].resources} (medians)")
        print(growth_table(pairs))
    if slow:
        print(f"\nAPI latency of {args.latency_ms:g} ms per request (ours only; the floor makes no calls)")
        print(latency_table(slow, ours_by_size.__getitem__))
    print("\nTargets")
    print("\n".join(targets(pairs, TARGET_SIZE, TARGET_RATIO)))
    print(f"\ntotal bench time: {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
