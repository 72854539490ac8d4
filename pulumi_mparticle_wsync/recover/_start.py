"""When did the interrupted update start? The stack's lock, an update in progress, or the user."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import rules
from ._state import JSON


@dataclass(frozen=True)
class UpdateStart:
    time: datetime
    source: str


@dataclass(frozen=True)
class StackLock:
    """A lock file of a ``file://`` backend: who took it, when."""

    path: Path
    pid: int | None
    hostname: str | None
    time: datetime | None

    def held_by_running_process(self) -> bool:
        return self.hostname == socket.gethostname() and self.pid is not None and _pulumi_running(self.pid)


def read_locks(backend_url: str, project: str, stack: str) -> list[StackLock]:
    """The stack's lock files if the backend is a local directory; ``[]`` otherwise or when unlocked."""
    root = local_backend_root(backend_url)
    if root is None:
        return []
    locks_dir = root / ".pulumi" / "locks"
    paths = sorted(locks_dir.glob(f"*/{project}/{stack}/*.json")) + sorted(locks_dir.glob(f"{stack}/*.json"))
    return [_read_lock(path) for path in paths]


def local_backend_root(backend_url: str) -> Path | None:
    parts = urlsplit(backend_url)
    if parts.scheme != "file":
        return None
    if parts.netloc == "~":
        return Path.home() / unquote(parts.path).lstrip("/")
    return Path(unquote(parts.path))


def _read_lock(path: Path) -> StackLock:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        content = {}
    if not isinstance(content, dict):
        content = {}
    pid = content.get("pid")
    return StackLock(
        path=path,
        pid=pid if isinstance(pid, int) else None,
        hostname=content.get("hostname") if isinstance(content.get("hostname"), str) else None,
        time=parse_time(content.get("timestamp")),
    )


def _pulumi_running(pid: int, proc_root: Path = Path("/proc")) -> bool:
    """Is ``pid`` a live (not zombie) process, and a Pulumi one where that can be told (``/proc``)?"""
    proc = proc_root / str(pid)
    if (proc_root / "self").exists():
        try:
            stat = (proc / "stat").read_text()
            command = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return False
        state = stat.rsplit(")", 1)[-1].split()[0]
        return state != "Z" and "pulumi" in command
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def update_start(
    since: datetime | None, locks: Sequence[StackLock], history: Callable[[], Sequence[Mapping[str, JSON]]]
) -> UpdateStart | None:
    """When the interrupted update started: ``--since``, else the lock, else an update still in progress.

    ``history`` (``pulumi stack history``, newest first) is only asked for when the others say nothing.
    """
    if since is not None:
        return UpdateStart(since, "--since")
    lock_times = [lock.time for lock in locks if lock.time is not None]
    if lock_times:
        return UpdateStart(min(lock_times), "the stack's lock")
    for entry in history():
        if entry.get("kind") != "update":
            continue
        started = parse_time(entry.get("startTime"))
        if entry.get("result") == "in-progress" and started is not None:
            return UpdateStart(started, "the update in progress in the stack's history")
        break
    return None


def parse_time(value: object) -> datetime | None:
    return rules.parse_timestamp(value) if isinstance(value, str) else None


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
