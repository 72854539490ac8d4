"""Peak memory and CPU time of the dynamic-provider processes, read from ``/proc`` while an operation runs.

The engine starts ``python -m pulumi.dynamic`` as a grandchild of this process (bench →
pulumi CLI → provider) and kills it when the operation ends, so nothing can be read after
the fact. A thread polls ``/proc`` instead: every process descended from this one whose
command line runs ``pulumi.dynamic`` is followed: its ``VmHWM`` (the kernel's own
high-water mark of resident memory, monotonic) and its CPU time (user + system) are kept.

Every twentieth of a second the monitor lists ``/proc`` and reads the parent of each process
it has not seen before (reading every process's ``stat`` at each sample cost 12% of a core on
the bench machine, all of it taken from the operation being measured), then samples the
providers found. A provider that lives less than that can be missed, and up to that much CPU
time at its end is not seen; one operation's provider lives for the whole operation.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Final

PROVIDER_MARKER: Final = b"pulumi.dynamic"
POLL_SECONDS: Final = 0.05
PROC: Final = Path("/proc")
CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")


def _parent_pid(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after the last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1])


def _is_provider(pid: int) -> bool:
    try:
        return PROVIDER_MARKER in (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False


def _peak_kib(pid: int) -> int | None:
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def process_cpu_seconds(pid: int) -> float | None:
    """User + system time (``utime`` and ``stime``, fields 14 and 15 of ``stat``)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def descendants(root: int, parents: dict[int, int] | None = None) -> set[int]:
    """The processes descended from ``root``. ``parents`` (pid to parent pid) is a cache kept
    between calls: only processes not in it have their ``stat`` read, and gone ones are dropped."""
    parents = {} if parents is None else parents
    alive = {int(entry) for entry in os.listdir(PROC) if entry.isdigit()}
    for pid in set(parents) - alive:
        del parents[pid]
    for pid in alive - set(parents):
        parent = _parent_pid(pid)
        if parent is not None:
            parents[pid] = parent
    found: set[int] = set()
    frontier = {root}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier and pid not in found}
        found |= children
        frontier = children
    return found


class ProviderMonitor:
    """``with ProviderMonitor() as monitor: ...``; then ``peak_mib``, ``cpu_seconds`` and ``processes``."""

    def __init__(self, root_pid: int | None = None) -> None:
        self._root = root_pid if root_pid is not None else os.getpid()
        self._providers: set[int] = set()
        self._not_providers: set[int] = set()
        self._parents: dict[int, int] = {}
        self._peaks: dict[int, int] = {}
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="provider-monitor", daemon=True)

    @property
    def processes(self) -> int:
        return len(self._providers)

    @property
    def cpu_seconds(self) -> float:
        """CPU time of every provider process seen, as of its last sample."""
        return sum(self._cpu.values())

    @property
    def peak_mib(self) -> float | None:
        """The largest ``VmHWM`` seen among provider processes, or ``None`` if none was seen."""
        return max(self._peaks.values()) / 1024 if self._peaks else None

    def _discover(self) -> None:
        found = descendants(self._root, self._parents) - self._providers - self._not_providers
        for pid in found:
            (self._providers if _is_provider(pid) else self._not_providers).add(pid)

    def _sample(self) -> None:
        for pid in self._providers:
            peak = _peak_kib(pid)  # None once the process is gone: its last sample stands
            cpu = process_cpu_seconds(pid)
            if peak is not None:
                self._peaks[pid] = max(peak, self._peaks.get(pid, 0))
            if cpu is not None:
                self._cpu[pid] = max(cpu, self._cpu.get(pid, 0.0))

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._discover()
            self._sample()

    def __enter__(self) -> ProviderMonitor:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._discover()  # the last moments, if a provider is still there
        self._sample()
