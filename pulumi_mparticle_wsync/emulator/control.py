"""``EmulatorControl``: a small httpx client over the emulator's ``/_emulator`` test controls.

Tests use it to reset state, read the request log, change objects out of band (as someone using
the mParticle UI would), move the clock, shape runs, expire tokens, flip the spec's §8 switches and
inject faults::

    control = EmulatorControl("http://127.0.0.1:8484")
    control.add_fault("rate_limit", method="POST", path_regex="/connections$", count=2, retry_after=1)
    ...
    assert control.count("POST", wire.CONNECTIONS) == 3

Methods and the endpoints behind them (all under ``/_emulator``; no token; loopback clients only):

=========================================  ================================================
``reset()``                                ``POST /reset``
``requests()`` / ``clear_log()``           ``GET`` / ``DELETE /requests``
``request_counts()``                       ``GET /requests/counts`` (``"METHOD /path"`` keys)
``count(method, collection, workspace_id)`` computed from ``requests()``
``list_objects`` / ``seed_object``         ``GET`` / ``POST /workspaces/{ws}/{collection}``
``get_object`` / ``edit_object`` /         ``GET`` / ``PATCH`` / ``DELETE``
``delete_object``                          ``/workspaces/{ws}/{collection}/{id}``
``set_next_run``                           ``PUT /workspaces/{ws}/pipelines/{id}/next-run``
``set_data_model_rows``                    ``PUT /workspaces/{ws}/data-models/{id}/rows``
``set_run_durations`` / ``run_durations``  ``PUT`` / ``GET /run-durations``
``advance_clock`` / ``clock``              ``POST /clock/advance`` / ``GET /clock``
``expire_tokens()``                        ``POST /tokens/expire``
``set_switches`` / ``switches``            ``POST`` / ``GET /switches``
``add_fault`` / ``faults`` /               ``POST`` / ``GET`` / ``DELETE /faults``,
``clear_faults`` / ``remove_fault``        ``DELETE /faults/{id}``
``health()``                               ``GET /health``
=========================================  ================================================

Every method raises ``EmulatorControlError`` (with the emulator's messages) when a control call is
refused. Collections are the wire names from ``wire`` (``wire.CONNECTIONS`` ...); token calls are
logged under the collection ``"token"``. docs/emulator.md describes switches and faults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import httpx

from .paths import CONTROL_PREFIX, TOKEN_COLLECTION

DEFAULT_TIMEOUT: Final = 30.0


class EmulatorControlError(RuntimeError):
    def __init__(self, status_code: int, messages: list[str], path: str) -> None:
        self.status_code = status_code
        self.messages = messages
        super().__init__(f"{path} -> {status_code}: {'; '.join(messages) or 'no message'}")


@dataclass(frozen=True)
class RequestRecord:
    """One logged API or token call. ``status`` is 0 when a ``drop`` fault cut the connection."""

    method: str
    path: str
    status: int
    workspace_id: str | None
    collection: str | None
    object_id: str | None
    time: float
    query: str = ""
    action: str | None = None
    fault: str | None = None
    body_id: str | None = None
    """For a create (POST on a collection): the ``id`` its body names. Lets a test count POSTs per id."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RequestRecord:
        return cls(
            method=data["method"],
            path=data["path"],
            status=data["status"],
            workspace_id=data.get("workspace_id"),
            collection=data.get("collection"),
            object_id=data.get("object_id"),
            time=data["time"],
            query=data.get("query", ""),
            action=data.get("action"),
            fault=data.get("fault"),
            body_id=data.get("body_id"),
        )


def _raise_for_error(response: httpx.Response, method: str, path: str) -> None:
    if response.status_code < 400:
        return
    try:
        messages = [str(error["message"]) for error in response.json()["errors"]]
    except (ValueError, KeyError, TypeError):
        messages = [response.text[:500]]
    raise EmulatorControlError(response.status_code, messages, f"{method} {CONTROL_PREFIX}{path}")


def _segment(value: str) -> str:
    return quote(value, safe="")


class EmulatorControl:
    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None):
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url + CONTROL_PREFIX, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> EmulatorControl:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------
    def _send(self, method: str, path: str, body: Any = None) -> httpx.Response:
        if body is None:
            return self._http.request(method, path)
        return self._http.request(method, path, json=body)

    def _call(self, method: str, path: str, body: Any = None, *, allow_404: bool = False) -> Any:
        response = self._send(method, path, body)
        if allow_404 and response.status_code == 404:
            return None
        _raise_for_error(response, method, path)
        return None if response.status_code == 204 or not response.content else response.json()

    @staticmethod
    def _object_path(workspace_id: str, collection: str, object_id: str | None = None) -> str:
        path = f"/workspaces/{_segment(workspace_id)}/{_segment(collection)}"
        return path if object_id is None else f"{path}/{_segment(object_id)}"

    # --- state --------------------------------------------------------------------------
    def health(self) -> bool:
        return bool(self._call("GET", "/health")["status"] == "ok")

    def reset(self) -> None:
        """Forget objects, runs, faults, log entries, switch changes and the clock offset."""
        self._call("POST", "/reset")

    # --- request log --------------------------------------------------------------------
    def requests(self) -> list[RequestRecord]:
        return [RequestRecord.from_json(entry) for entry in self._call("GET", "/requests")["requests"]]

    def request_counts(self) -> dict[str, int]:
        """Calls per ``"METHOD /exact/path"``."""
        counts: dict[str, int] = self._call("GET", "/requests/counts")["counts"]
        return counts

    def count(self, method: str, collection: str | None = None, *, workspace_id: str | None = None) -> int:
        """API calls with ``method`` (optionally on one collection / workspace). Token calls are
        counted only under ``collection="token"``."""
        return sum(
            1
            for record in self.requests()
            if record.method == method.upper()
            and (record.collection == collection if collection is not None else record.collection != TOKEN_COLLECTION)
            and (workspace_id is None or record.workspace_id == workspace_id)
        )

    def clear_log(self) -> None:
        self._call("DELETE", "/requests")

    # --- objects, out of band -----------------------------------------------------------
    def get_object(self, workspace_id: str, collection: str, object_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._call(
            "GET", self._object_path(workspace_id, collection, object_id), allow_404=True
        )
        return found

    def list_objects(self, workspace_id: str, collection: str) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self._call("GET", self._object_path(workspace_id, collection))
        return listed

    def edit_object(
        self, workspace_id: str, collection: str, object_id: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Deep-merge ``changes`` into the stored object (no validation), like an edit in the UI."""
        edited: dict[str, Any] = self._call("PATCH", self._object_path(workspace_id, collection, object_id), changes)
        return edited

    def delete_object(self, workspace_id: str, collection: str, object_id: str) -> bool:
        """Delete without the API's reference check; ``False`` if it did not exist."""
        path = self._object_path(workspace_id, collection, object_id)
        response = self._send("DELETE", path)
        if response.status_code == 404:
            return False
        _raise_for_error(response, "DELETE", path)
        return True

    def seed_object(self, workspace_id: str, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create an object out of band, validated exactly like POST."""
        created: dict[str, Any] = self._call("POST", self._object_path(workspace_id, collection), body)
        return created

    # --- runs ---------------------------------------------------------------------------
    def set_next_run(
        self, workspace_id: str, pipeline_id: str, outcome: str = "failed", error: str | None = None
    ) -> None:
        """Make the pipeline's next run (manual or scheduled) end ``outcome``; a failed run reports
        ``error`` in its ``errors``. Only that run: the ones after it succeed. ``"success"`` takes
        a pending failure back."""
        body: dict[str, Any] = {"outcome": outcome}
        if error is not None:
            body["error"] = error
        self._call("PUT", f"{self._object_path(workspace_id, 'pipelines', pipeline_id)}/next-run", body)

    def set_data_model_rows(self, workspace_id: str, model_id: str, rows: int | None) -> None:
        """The rows the data model yields to each run (capped by the run's record limit); ``None``
        goes back to a synthetic count per run."""
        self._call("PUT", f"{self._object_path(workspace_id, 'data-models', model_id)}/rows", {"rows": rows})

    def set_run_durations(
        self, *, triggered: float | None = None, queued: float | None = None, running: float | None = None
    ) -> dict[str, float]:
        """Seconds a new run spends in each active state (the others keep their value); answers all three."""
        changes = {
            name: value
            for name, value in (("triggered", triggered), ("queued", queued), ("running", running))
            if value is not None
        }
        durations: dict[str, float] = self._call("PUT", "/run-durations", changes)
        return durations

    def run_durations(self) -> dict[str, float]:
        durations: dict[str, float] = self._call("GET", "/run-durations")
        return durations

    # --- clock and tokens ---------------------------------------------------------------
    def advance_clock(self, seconds: float) -> None:
        self._call("POST", "/clock/advance", {"seconds": seconds})

    def clock(self) -> dict[str, Any]:
        answer: dict[str, Any] = self._call("GET", "/clock")
        return answer

    def expire_tokens(self) -> None:
        self._call("POST", "/tokens/expire")

    # --- switches -----------------------------------------------------------------------
    def set_switches(
        self,
        *,
        secret_mode: str | None = None,
        provider_case: str | None = None,
        duplicate_id_status: int | None = None,
        token_lifetime_seconds: int | None = None,
        trigger_path: str | None = None,
        run_spelling: str | None = None,
        status_shape: str | None = None,
        new_pipeline_status_404_seconds: float | None = None,
    ) -> dict[str, Any]:
        changes = {
            name: value
            for name, value in (
                ("secret_mode", secret_mode),
                ("provider_case", provider_case),
                ("duplicate_id_status", duplicate_id_status),
                ("token_lifetime_seconds", token_lifetime_seconds),
                ("trigger_path", trigger_path),
                ("run_spelling", run_spelling),
                ("status_shape", status_shape),
                ("new_pipeline_status_404_seconds", new_pipeline_status_404_seconds),
            )
            if value is not None
        }
        switches: dict[str, Any] = self._call("POST", "/switches", changes)
        return switches

    def switches(self) -> dict[str, Any]:
        answer: dict[str, Any] = self._call("GET", "/switches")
        return answer

    # --- faults -------------------------------------------------------------------------
    def add_fault(
        self,
        kind: str,
        *,
        method: str | None = None,
        path_regex: str | None = None,
        rate: float = 1.0,
        count: int | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        latency_ms: float | None = None,
        latency_jitter_ms: float | None = None,
        seed: int | None = None,
        after_apply: bool = False,
    ) -> str:
        """Inject a fault; returns its id. See ``faults.py`` for the kinds."""
        spec: dict[str, Any] = {"kind": kind, "rate": rate, "after_apply": after_apply}
        optional = {
            "method": method,
            "path_regex": path_regex,
            "count": count,
            "status": status,
            "retry_after": retry_after,
            "latency_ms": latency_ms,
            "latency_jitter_ms": latency_jitter_ms,
            "seed": seed,
        }
        spec.update({name: value for name, value in optional.items() if value is not None})
        fault_id: str = self._call("POST", "/faults", spec)["id"]
        return fault_id

    def faults(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self._call("GET", "/faults")["faults"]
        return listed

    def remove_fault(self, fault_id: str) -> None:
        self._call("DELETE", f"/faults/{_segment(fault_id)}")

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")
