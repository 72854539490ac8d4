"""The ``pulumi`` commands recovery runs: the one on ``PATH``, with this process's environment."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ._state import JSON, RecoveryError


class PulumiCli:
    """The ``pulumi`` commands recovery needs, run with this process's environment."""

    def __init__(self, stack: str, cwd: Path | None, executable: str | None = None) -> None:
        found = executable or shutil.which("pulumi")
        if found is None:
            raise RecoveryError("`pulumi` is not on PATH: install the Pulumi CLI or add its directory to PATH")
        self.executable = found
        self.stack = stack
        self.cwd = cwd
        self.format_version: JSON = 3
        """The ``version`` of the last export, given back to ``stack import``."""

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [self.executable, *args, "--non-interactive", "--color", "never"]
        try:
            return subprocess.run(command, cwd=self.cwd, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise RecoveryError(f"cannot run {self.executable}: {exc.strerror}") from exc

    def _checked(self, *args: str) -> str:
        done = self._run(*args)
        if done.returncode != 0:
            output = (done.stderr.strip() or done.stdout.strip())[-2000:]
            raise RecoveryError(f"`pulumi {' '.join(args)}` failed (exit {done.returncode}):\n{output}")
        return done.stdout

    def _json(self, *args: str) -> JSON:
        text = self._checked(*args)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise RecoveryError(f"`pulumi {' '.join(args)}` did not print JSON: {exc}") from exc

    def deployment(self, *, show_secrets: bool = False) -> dict[str, JSON]:
        exported = self._json("stack", "export", "--stack", self.stack, *(["--show-secrets"] if show_secrets else []))
        deployment = exported.get("deployment") if isinstance(exported, dict) else None
        if not isinstance(deployment, dict):
            raise RecoveryError(f"`pulumi stack export --stack {self.stack}` printed no deployment")
        self.format_version = exported.get("version", self.format_version)
        return deployment

    def config(self) -> dict[str, JSON]:
        config = self._json("config", "--json", "--show-secrets", "--stack", self.stack)
        return config if isinstance(config, dict) else {}

    def history(self) -> list[Mapping[str, JSON]]:
        entries = self._json("stack", "history", "--json", "--page-size", "10", "--stack", self.stack)
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def backend_url(self) -> str:
        who = self._json("whoami", "--json")
        return str(who.get("url", "")) if isinstance(who, dict) else ""

    def cancel(self) -> str | None:
        """Remove the lock; the CLI's complaint if it would not (nothing in progress, usually)."""
        done = self._run("cancel", "--yes", "--stack", self.stack)
        return None if done.returncode == 0 else (done.stderr.strip() or done.stdout.strip())

    def import_deployment(self, deployment: Mapping[str, JSON]) -> None:
        with tempfile.TemporaryDirectory(prefix="mparticle-wsync-recover-") as scratch:
            path = Path(scratch) / "state.json"
            path.write_text(json.dumps({"version": self.format_version, "deployment": deployment}), encoding="utf-8")
            self._checked("stack", "import", "--stack", self.stack, "--file", str(path))

    def refresh(self, urns: Sequence[str]) -> None:
        """A refresh of ``urns`` by a provider configured with the stack's config as it is now.

        ``--run-program``: without it the engine configures the provider with the settings recorded
        in the state (those of the last ``up``), which may no longer be the ones recovery just used
        to find the objects (a fixed ``mparticle:apiUrl``, a rotated ``mparticle:clientSecret``).
        The program runs but only the targets are read; nothing is created or changed.
        """
        targets = [arg for urn in urns for arg in ("--target", urn)]
        self._checked("refresh", "--run-program", "--yes", "--skip-preview", "--stack", self.stack, *targets)
