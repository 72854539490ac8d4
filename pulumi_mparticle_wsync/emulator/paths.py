"""URL layout of the emulated API, built from ``wire`` names, and the classifier the request log uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .. import wire

API_PREFIX: Final = wire.WORKSPACE_PATH.split("{", 1)[0]  # "/platform/v2/workspaces/"
CONTROL_PREFIX: Final = "/_emulator"
TOKEN_COLLECTION: Final = "token"  # how the request log files token calls

_WORKSPACE_ID_RE: Final = re.compile(r"^[0-9]{1,18}$")


def workspace_problem(workspace_id: str) -> str | None:
    """Workspace ids are integers as shown in the mParticle UI (spec §1)."""
    if _WORKSPACE_ID_RE.match(workspace_id):
        return None
    shown = workspace_id if len(workspace_id) <= 40 else workspace_id[:40] + "..."
    return f"workspaceId {shown!r} is not a workspace id: use the integer shown in the mParticle UI"


@dataclass(frozen=True)
class PathInfo:
    """What a request path addresses, for the request log and fault matching."""

    workspace_id: str | None = None
    collection: str | None = None
    object_id: str | None = None
    action: str | None = None  # "trigger", "status", "status/runs" (wire names), else None
    run_id: str | None = None


def classify(path: str) -> PathInfo:
    """Split an API path into its parts; unknown shapes keep whatever could be read."""
    if path == wire.TOKEN_PATH:
        return PathInfo(collection=TOKEN_COLLECTION)
    if not path.startswith(API_PREFIX):
        return PathInfo()
    parts = path[len(API_PREFIX) :].split("/")
    workspace_id = parts[0] or None
    collection = parts[1] if len(parts) > 1 and parts[1] else None
    object_id = parts[2] if len(parts) > 2 and parts[2] else None
    rest = "/".join(parts[3:])
    action: str | None = None
    run_id: str | None = None
    if rest:
        if rest.startswith(wire.RUNS + "/"):
            action, run_id = wire.RUNS, rest[len(wire.RUNS) + 1 :] or None
        else:
            action = rest
    return PathInfo(workspace_id, collection, object_id, action, run_id)
