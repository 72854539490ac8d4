"""Turn measured stack lives into the printed tables.

Repeated runs of one (variant, N, latency) are summarised by their median wall and CPU time;
request counts must be identical across repeats (the benchmark checks it), memory is the
largest peak seen.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from measure import OPERATIONS, BenchCheckError, StackRun
from stack_shape import group_sizes

from pulumi_mparticle_wsync.emulator.paths import TOKEN_COLLECTION

PROVIDER_CONCURRENCY: Final = 4  # futures.ThreadPoolExecutor(max_workers=4) in pulumi/dynamic/__main__.py
FLOOR: Final = "floor"
OURS: Final = "ours"


@dataclass(frozen=True)
class InFlight:
    """API calls in flight at once, from the emulator's log of a run with injected latency."""

    most: int
    mean: float
    """Average over the time at least one call was in flight."""
    busy_seconds: float
    """Time during which at least one call was in flight."""


def in_flight(end_times: Sequence[float], latency_seconds: float) -> InFlight:
    """Each call is taken as in flight during the ``latency_seconds`` before its answer.

    The injected latency is served before the call is handled and dwarfs the emulator's own
    handling time, so this is close to the real intervals (and never longer than them).
    """
    if not end_times:
        return InFlight(0, 0.0, 0.0)
    events = sorted([(end - latency_seconds, 1) for end in end_times] + [(end, -1) for end in end_times])
    current = most = 0
    busy = weighted = 0.0
    previous = events[0][0]
    for moment, change in events:
        if current:
            busy += moment - previous
            weighted += current * (moment - previous)
        current += change
        most = max(most, current)
        previous = moment
    return InFlight(most, weighted / busy if busy else 0.0, busy)


@dataclass(frozen=True)
class OperationSummary:
    seconds: float
    cpu_seconds: float
    provider_cpu_seconds: float
    own_cpu_seconds: float
    emulator_cpu_seconds: float
    requests: Counter[str]
    provider_peak_mib: float | None
    in_flight: InFlight | None
    """Only for runs with injected latency (the median run's figures)."""

    @property
    def request_total(self) -> int:
        return sum(self.requests.values())

    @property
    def cli_cpu_seconds(self) -> float:
        """The children's CPU time but the provider's: the CLI (a difference of medians: an estimate)."""
        return self.cpu_seconds - self.own_cpu_seconds - self.provider_cpu_seconds


@dataclass(frozen=True)
class Summary:
    variant: str
    resources: int
    latency_ms: float
    repeats: int
    operations: dict[str, OperationSummary]
    provider_bytes_per_resource: float
    state_bytes_per_resource: float


def summarise(runs: Sequence[StackRun]) -> Summary:
    first = runs[0]
    operations: dict[str, OperationSummary] = {}
    for name in OPERATIONS:
        results = [run.operations[name] for run in runs]
        if any(result.requests != results[0].requests for result in results):
            raise BenchCheckError(
                f"{first.variant} N={first.resources} {name}: request counts differ between repeats: "
                f"{[dict(result.requests) for result in results]}"
            )
        peaks = [result.provider_peak_mib for result in results if result.provider_peak_mib is not None]
        flights = [in_flight(result.request_end_times, first.latency_ms / 1000) for result in results]
        operations[name] = OperationSummary(
            seconds=statistics.median(result.seconds for result in results),
            cpu_seconds=statistics.median(result.cpu_seconds for result in results),
            provider_cpu_seconds=statistics.median(result.provider_cpu_seconds for result in results),
            own_cpu_seconds=statistics.median(result.own_cpu_seconds for result in results),
            emulator_cpu_seconds=statistics.median(result.emulator_cpu_seconds for result in results),
            requests=results[0].requests,
            provider_peak_mib=max(peaks) if peaks else None,
            in_flight=sorted(flights, key=lambda f: f.mean)[len(flights) // 2] if first.latency_ms else None,
        )
    return Summary(
        variant=first.variant,
        resources=first.resources,
        latency_ms=first.latency_ms,
        repeats=len(runs),
        operations=operations,
        provider_bytes_per_resource=statistics.median(run.provider_bytes_per_resource for run in runs),
        state_bytes_per_resource=statistics.median(run.state_bytes_per_resource for run in runs),
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def _ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:.2f}" if floor > 0 else "-"


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _requests_by_kind(requests: Counter[str]) -> str:
    """``"1 token + 25 POST"``: token calls, then API calls per method."""
    methods: Counter[str] = Counter()
    tokens = 0
    for key, count in requests.items():
        method, _, target = key.partition(" ")
        if target == TOKEN_COLLECTION:
            tokens += count
        else:
            methods[method] += count
    parts = [f"{count} {method}" for method, count in sorted(methods.items())]
    if tokens:
        parts.insert(0, f"{tokens} token")
    return " + ".join(parts) or "0"


def comparison_table(pairs: Sequence[tuple[Summary, Summary]]) -> str:
    """Floor vs ours for every size and operation."""
    header = [
        "N", "operation", "floor s", "ours s", "ours/floor", "floor cpu s", "ours cpu s", "cpu ratio",
        "provider cpu s floor/ours", "requests", "req/resource", "provider MiB floor/ours",
    ]
    rows: list[list[str]] = []
    for floor, ours in pairs:
        for name in OPERATIONS:
            f, o = floor.operations[name], ours.operations[name]
            rows.append([
                str(ours.resources), name, f"{f.seconds:.2f}", f"{o.seconds:.2f}", _ratio(o.seconds, f.seconds),
                f"{f.cpu_seconds:.2f}", f"{o.cpu_seconds:.2f}", _ratio(o.cpu_seconds, f.cpu_seconds),
                f"{f.provider_cpu_seconds:.2f}/{o.provider_cpu_seconds:.2f}",
                _requests_by_kind(o.requests), f"{o.request_total / ours.resources:.2f}",
                f"{_mib(f.provider_peak_mib)}/{_mib(o.provider_peak_mib)}",
            ])
    return _table(header, rows)


def state_table(pairs: Sequence[tuple[Summary, Summary]]) -> str:
    header = ["N", "__provider B/resource floor", "ours", "state B/resource floor", "ours"]
    rows = [
        [
            str(ours.resources),
            f"{floor.provider_bytes_per_resource:.0f}", f"{ours.provider_bytes_per_resource:.0f}",
            f"{floor.state_bytes_per_resource:.0f}", f"{ours.state_bytes_per_resource:.0f}",
        ]
        for floor, ours in pairs
    ]
    return _table(header, rows)


def growth_table(pairs: Sequence[tuple[Summary, Summary]]) -> str:
    """How each operation grows from the smallest to the largest N: factor and cost per added resource."""
    smallest, largest = pairs[0], pairs[-1]
    low_n, high_n = smallest[1].resources, largest[1].resources
    header = ["operation", "variant", f"s at N={low_n}", f"s at N={high_n}", "factor", "ms per added resource",
              f"cpu s at N={low_n}", f"cpu s at N={high_n}", "cpu factor"]
    rows = []
    for name in OPERATIONS:
        for index, label in ((0, FLOOR), (1, OURS)):
            low, high = smallest[index].operations[name], largest[index].operations[name]
            rows.append([
                name, label, f"{low.seconds:.2f}", f"{high.seconds:.2f}", _ratio(high.seconds, low.seconds),
                f"{1000 * (high.seconds - low.seconds) / (high_n - low_n):.1f}",
                f"{low.cpu_seconds:.2f}", f"{high.cpu_seconds:.2f}", _ratio(high.cpu_seconds, low.cpu_seconds),
            ])
    return _table(header, rows)


def cpu_split_table(pairs: Sequence[tuple[Summary, Summary]]) -> str:
    """Where the CPU time goes: this process (the inline program), the provider process, the rest of
    the children (the CLI), and, not counted in ``cpu s``, the emulator's process (medians, so the
    parts need not add up)."""
    header = ["N", "operation", "program cpu s floor/ours", "provider cpu s floor/ours", "CLI cpu s floor/ours",
              "emulator cpu s (not counted)"]
    rows: list[list[str]] = []
    for floor, ours in pairs:
        for name in OPERATIONS:
            f, o = floor.operations[name], ours.operations[name]
            rows.append([
                str(ours.resources), name, f"{f.own_cpu_seconds:.2f}/{o.own_cpu_seconds:.2f}",
                f"{f.provider_cpu_seconds:.2f}/{o.provider_cpu_seconds:.2f}",
                f"{f.cli_cpu_seconds:.2f}/{o.cli_cpu_seconds:.2f}",
                f"{o.emulator_cpu_seconds:.2f}",
            ])
    return _table(header, rows)


def latency_table(with_latency: Sequence[Summary], without: Callable[[int], Summary]) -> str:
    """How the injected API latency is overlapped, from the emulator's log.

    ``in flight`` counts calls waiting on the API at once (the provider process serves at most
    ``PROVIDER_CONCURRENCY``); ``API busy s`` is the time at least one call was in flight, to
    compare with ``requests x latency``, the time the calls would take one after another.
    ``added s`` is the difference with the run without latency: what the latency cost in wall
    time (noisy: two separate runs).
    """
    header = ["N", "operation", "requests", "requests x latency s", "API busy s", "in flight max", "in flight mean",
              "ours s (0 ms)", "ours s (latency)", "added s"]
    rows: list[list[str]] = []
    for slow in with_latency:
        fast = without(slow.resources)
        for name in OPERATIONS:
            s, f = slow.operations[name], fast.operations[name]
            flight = s.in_flight or InFlight(0, 0.0, 0.0)
            rows.append([
                str(slow.resources), name, str(s.request_total), f"{s.request_total * slow.latency_ms / 1000:.1f}",
                f"{flight.busy_seconds:.1f}", str(flight.most), f"{flight.mean:.1f}",
                f"{f.seconds:.2f}", f"{s.seconds:.2f}", f"{s.seconds - f.seconds:+.2f}",
            ])
    return _table(header, rows)


def targets(pairs: Sequence[tuple[Summary, Summary]], target_size: int, ratio_limit: float) -> list[str]:
    """The issue's targets, each as a PASS/FAIL line."""
    lines: list[str] = []
    for floor, ours in pairs:
        preview_calls = ours.operations["preview"].request_total
        verdict = "PASS" if preview_calls == 0 else "FAIL"
        lines.append(f"N={ours.resources}: preview API calls = {preview_calls}: {verdict}")
        kinds = max(group_sizes(ours.resources), default=0)  # the first group holds every kind the stack has
        per_resource, per_kind = "1 token + 1 per resource", "1 token + 1 list per kind"
        minimum = {
            "up": (ours.resources + 1, per_resource),
            "refresh": (kinds + 1, per_kind),
            "destroy": (ours.resources + 1, per_resource),
        }
        for name, (least, why) in minimum.items():
            made = ours.operations[name].request_total
            verdict = "PASS" if made == least else "FAIL"
            lines.append(f"N={ours.resources}: {name} requests = {made} (minimum {least}: {why}): {verdict}")
        if ours.resources == target_size:
            for name in OPERATIONS:
                o, f = ours.operations[name], floor.operations[name]
                for measure, ours_value, floor_value in (("wall", o.seconds, f.seconds),
                                                         ("cpu", o.cpu_seconds, f.cpu_seconds)):
                    ratio = ours_value / floor_value
                    verdict = "PASS" if ratio <= ratio_limit else "FAIL"
                    lines.append(f"N={ours.resources}: {name} ours/floor {measure} = {ratio:.2f} "
                                 f"(<= {ratio_limit}): {verdict}")
    return lines
