"""Benchmark: `pulumi refresh` against a slow API (issue 15). Not part of the test suite.

    .venv/bin/python bench/refresh_latency.py                       # N = 250; 0 and 300 ms; 3 refreshes each
    .venv/bin/python bench/refresh_latency.py --resources 25 --latency-ms 100 --repeat 1

One stack of N resources (``stack_shape.py``) is created once, refreshed ``--repeat`` times without
latency, then ``--repeat`` times with a ``latency`` fault of ``--latency-ms`` on every API and token
call, then destroyed. Printed: the median refresh time at each latency, the ratio of the two
(target: at most 1.5), and the requests of one refresh by kind: token, list (a GET of a
collection), get (a GET of one object) and any other.

The provider process imports the package of the checkout this script is in (the checkout's root
comes first on its ``PYTHONPATH``), so the script run from a checkout of an older commit measures
that commit: that is how the "before" figures in docs/benchmarks.md were taken.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

BENCH_DIR: Final = Path(__file__).resolve().parent
REPO_ROOT: Final = BENCH_DIR.parent
sys.path.insert(1, str(REPO_ROOT))  # this checkout's package and tests.engine.harness, before any other

from measure import BenchCheckError  # noqa: E402
from run import bench_session  # noqa: E402
from stack_shape import KINDS, group_sizes, ours_program  # noqa: E402

from pulumi_mparticle_wsync import wire  # noqa: E402
from pulumi_mparticle_wsync.emulator.control import EmulatorControl, RequestRecord  # noqa: E402
from pulumi_mparticle_wsync.emulator.paths import TOKEN_COLLECTION  # noqa: E402
from tests.engine.harness import EngineStack, new_stack, provider_config  # noqa: E402

DEFAULT_RESOURCES: Final = 250
DEFAULT_LATENCY_MS: Final = 300.0
DEFAULT_REPEAT: Final = 3
TARGET_RATIO: Final = 1.5
REQUEST_KINDS: Final = ("token", "list", "get", "other")


@dataclass(frozen=True)
class Measured:
    latency_ms: float
    seconds: tuple[float, ...]
    requests: Counter[str]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def request_kind(record: RequestRecord) -> str:
    if record.collection == TOKEN_COLLECTION:
        return "token"
    if record.method == "GET" and record.collection in wire.COLLECTIONS:
        return "list" if record.object_id is None else "get"
    return "other"


def refreshes(
    stack: EngineStack, resources: int, latency_ms: float, repeat: int, emulator_control: EmulatorControl
) -> Measured:
    """``repeat`` refreshes with ``latency_ms`` on every call; each must change nothing and make the same requests."""
    fault = emulator_control.add_fault("latency", latency_ms=latency_ms) if latency_ms else None
    seconds: list[float] = []
    requests: Counter[str] | None = None
    try:
        for _ in range(repeat):
            emulator_control.clear_log()
            wall_started = time.time()  # the emulator logs its answers on this clock
            started = time.perf_counter()
            refresh = stack.refresh()
            seconds.append(time.perf_counter() - started)
            changes = {k: n for k, n in (refresh.result.summary.resource_changes or {}).items() if n}
            if changes != {"same": resources + 1}:
                raise BenchCheckError(f"refresh made changes {changes}, expected none")
            records = emulator_control.requests()
            counted = Counter(request_kind(record) for record in records)
            if requests is not None and counted != requests:
                raise BenchCheckError(f"refreshes made different requests: {dict(requests)} then {dict(counted)}")
            requests = counted
            answered = ", ".join(f"{r.collection} {r.time - wall_started:.2f}s" for r in records)
            print(f"  {latency_ms:g} ms: refresh {seconds[-1]:.2f}s, requests {dict(counted)}; answered at: {answered}",
                  flush=True)
    finally:
        if fault is not None:
            emulator_control.remove_fault(fault)
    assert requests is not None
    return Measured(latency_ms, tuple(seconds), requests)


def table(rows: Sequence[Measured], resources: int) -> str:
    base = rows[0].median
    header = ["latency ms", "refresh s (median)", "runs s", f"vs {rows[0].latency_ms:g} ms", "requests",
              *REQUEST_KINDS]
    body = [
        [f"{row.latency_ms:g}", f"{row.median:.2f}", " ".join(f"{s:.2f}" for s in row.seconds),
         f"{row.median / base:.2f}", str(sum(row.requests.values())), *(str(row.requests[k]) for k in REQUEST_KINDS)]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))

    kinds = max(group_sizes(resources), default=0)
    title = (f"pulumi refresh of N = {resources} ({', '.join(KINDS[:kinds])}; "
             f"minimum requests: 1 token + 1 list per kind = {1 + kinds})")
    return "\n".join([title, line(header), line(["-" * w for w in widths]), *(line(row) for row in body)])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                     allow_abbrev=False)
    parser.add_argument("--resources", type=int, default=DEFAULT_RESOURCES, help="N (default: 250)")
    parser.add_argument("--latency-ms", type=float, default=DEFAULT_LATENCY_MS,
                        help="latency per request of the slow refreshes (default: 300)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="refreshes per latency (default: 3)")
    args = parser.parse_args(argv)
    if args.resources < 1 or args.repeat < 1 or args.latency_ms <= 0:
        parser.error("--resources and --repeat must be at least 1, --latency-ms above 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with bench_session("wsync-bench-refresh-") as (machine, scratch, emulator):
        print(f"package measured: {REPO_ROOT}", flush=True)
        stack = new_stack(
            scratch / "stack", ours_program(args.resources), project="wsync-bench",
            stack=f"refresh-{args.resources}",
            config=provider_config(emulator.url, emulator.workspace_id, emulator.client_id, emulator.client_secret),
        )
        workspace = stack.stack.workspace
        workspace.env_vars = {**workspace.env_vars, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(BENCH_DIR)])}
        up = stack.up()
        if (up.result.summary.resource_changes or {}).get("create") != args.resources + 1:
            raise BenchCheckError(f"up made changes {up.result.summary.resource_changes}")
        rows = [refreshes(stack, args.resources, latency, args.repeat, emulator.control)
                for latency in (0.0, args.latency_ms)]
        stack.destroy()
        workspace.remove_stack(stack.stack.name)
    ratio = rows[1].median / rows[0].median
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print()
    print("\n".join(machine))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; package: {REPO_ROOT}")
    print(table(rows, args.resources))
    print(f"target: refresh at {args.latency_ms:g} ms <= {TARGET_RATIO} x refresh at 0 ms: {ratio:.2f}: {verdict}")
    print(f"total bench time: {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
