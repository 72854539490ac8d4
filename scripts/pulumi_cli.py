"""Which Pulumi CLI the demo, the tests and the benchmark use: the one rule, and the one place its answer is kept.

``scripts/bootstrap.sh`` runs this file, which picks, in this order:

1. ``PULUMI_CLI_DIR``, if set: the directory holding ``pulumi`` and Pulumi's Python language host.
   It is refused, with no fallback, if it lacks them or its version is older than ``MINIMUM_VERSION``.
2. The ``pulumi`` on ``PATH``, if its version is at least ``MINIMUM_VERSION`` and the language host is
   beside it. Otherwise it says why not and goes on.
3. The build: ``tools/pulumi-cli/build.sh`` builds the CLI from Go modules and the language host from
   ``../shared/third_party/pulumi-language-python`` into ``.tools/pulumi/bin`` (Go >= 1.26).

It prints which one it picked and why, and writes the chosen directory to ``.tools/pulumi-cli-dir``.
The engine tests' harness, the benchmark and ``scripts/demo.py`` read it back with ``bin_dir()``
and ``root()``. When nothing can be used, it fails with one message naming what to install.

Why v3.160.0: dynamic providers get the stack's namespaced config (``mparticle:*``) in ``Configure``
since v3.139.0, and ``pulumi refresh --run-program`` / ``pulumi destroy --run-program`` (which
``mparticle-wsync recover`` and the provider's error messages rely on) exist since v3.160.0.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parents[1]
BUILD_BIN: Final = REPO_ROOT / ".tools" / "pulumi" / "bin"
RECORD: Final = REPO_ROOT / ".tools" / "pulumi-cli-dir"
# For a chosen directory not named ``bin``: the Automation API runs ``<root>/bin/pulumi``.
ROOT_LINK: Final = REPO_ROOT / ".tools" / "pulumi-cli-root"
BUILD_SCRIPT: Final = REPO_ROOT / "tools" / "pulumi-cli" / "build.sh"
DEFAULT_LANGHOST_SRC: Final = REPO_ROOT.parent / "shared" / "third_party" / "pulumi-language-python"

MINIMUM_VERSION: Final = (3, 160, 0)
MINIMUM_GO: Final = (1, 26)
INSTALL_URL: Final = "https://www.pulumi.com/docs/install/"
# What the engine needs beside ``pulumi`` to run a Python program directory and our dynamic providers.
CLI_FILES: Final = ("pulumi", "pulumi-language-python", "pulumi-language-python-exec",
                    "pulumi-resource-pulumi-python")


def _dotted(version: Sequence[int]) -> str:
    return ".".join(str(part) for part in version)


MINIMUM: Final = f"v{_dotted(MINIMUM_VERSION)}"
INSTALL_ADVICE: Final = (f"install Pulumi {MINIMUM} or newer with its installer ({INSTALL_URL}) and put it on PATH "
                         "or set PULUMI_CLI_DIR to its directory")


class NoPulumiCli(Exception):
    """No Pulumi CLI can be used or built; the message says what to install."""


@dataclass(frozen=True)
class Choice:
    bin_dir: Path
    build: bool  # True: tools/pulumi-cli/build.sh makes (or keeps) bin_dir
    reason: str  # why, for the bootstrap's output
    notes: tuple[str, ...] = ()  # candidates passed over, and why


def missing_files(directory: Path) -> list[str]:
    return [name for name in CLI_FILES if not (directory / name).is_file()]


def _version(command: Sequence[str], env: Mapping[str, str], pattern: str) -> tuple[int, ...] | None:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=60,
                              env={**env, "PULUMI_SKIP_UPDATE_CHECK": "true"}, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(pattern, done.stdout) if done.returncode == 0 else None
    return tuple(int(part or 0) for part in found.groups()) if found else None


def pulumi_version(pulumi: Path, env: Mapping[str, str]) -> tuple[int, ...] | None:
    """``pulumi version`` as (major, minor, patch); a pre-release counts as its release."""
    return _version([str(pulumi), "version"], env, r"v?(\d+)\.(\d+)\.(\d+)")


def _problem(directory: Path, env: Mapping[str, str]) -> tuple[str | None, str]:
    """(what makes ``directory`` unusable or None, the version found)."""
    if not (directory / "pulumi").is_file():
        return f"there is no pulumi in {directory}", "?"
    version = pulumi_version(directory / "pulumi", env)
    if version is None:
        return f"`{directory / 'pulumi'} version` did not answer with a version", "?"
    shown = f"v{_dotted(version)}"
    if version < MINIMUM_VERSION:
        return f"pulumi {shown} is older than {MINIMUM}, the oldest this project supports", shown
    missing = missing_files(directory)
    if missing:
        return (f"pulumi {shown} has no {', '.join(missing)} beside it (Pulumi's Python language host, "
                "which a Pulumi installation includes)", shown)
    return None, shown


def langhost_source(env: Mapping[str, str]) -> Path:
    return Path(env["PULUMI_LANGHOST_SRC"]) if env.get("PULUMI_LANGHOST_SRC") else DEFAULT_LANGHOST_SRC


def choose(env: Mapping[str, str], *, build_bin: Path | None = None) -> Choice:
    """The rule. ``env`` is the environment to look in (``PULUMI_CLI_DIR``, ``PATH``, ``PULUMI_LANGHOST_SRC``)."""
    build_bin = build_bin or BUILD_BIN
    explicit = env.get("PULUMI_CLI_DIR")
    if explicit:
        directory = Path(explicit).expanduser().resolve()
        problem, version = _problem(directory, env)
        if problem:
            raise NoPulumiCli(f"PULUMI_CLI_DIR={explicit}: {problem}. Install Pulumi {MINIMUM} or newer with its "
                              f"installer ({INSTALL_URL}) and point PULUMI_CLI_DIR at its directory, or unset "
                              "PULUMI_CLI_DIR to use the pulumi on PATH or the build")
        return Choice(directory, False, f"using {directory} (PULUMI_CLI_DIR): pulumi {version} with Pulumi's "
                                        "Python language host beside it")

    notes: list[str] = []
    found = shutil.which("pulumi", path=env.get("PATH", ""))
    on_path = "no pulumi on PATH"
    if found:
        directory = Path(found).parent.resolve()
        if directory == build_bin.resolve():
            on_path = "the pulumi on PATH is this build"
        else:
            # A symlink on PATH (e.g. Homebrew's) may point into the directory with the language host.
            refusal = ""
            for candidate in dict.fromkeys([directory, Path(found).resolve().parent]):
                why, version = _problem(candidate, env)
                if why is None:
                    return Choice(candidate, False, f"using {candidate} (the pulumi on PATH): pulumi {version} "
                                                    f"(>= {MINIMUM}) with Pulumi's Python language host beside it")
                refusal = refusal or why
            notes.append(f"not using {found} (on PATH): {refusal}; to use one, {INSTALL_ADVICE}")
            on_path = f"the pulumi on PATH is not usable ({refusal})"

    source = langhost_source(env)
    go = shutil.which("go", path=env.get("PATH", ""))
    go_version = _version([go, "version"], env, r"go(\d+)\.(\d+)") if go else None
    lacks = []
    if go is None:
        lacks.append("go is not on PATH")
    elif go_version is None or go_version < MINIMUM_GO:
        lacks.append(f"{go} is older than Go {_dotted(MINIMUM_GO)}")
    if not (source / "main.go").is_file():
        lacks.append(f"Pulumi's language host source is not at {source}")
    if not lacks:
        return Choice(build_bin, True, f"using the build in {build_bin} (from Go modules and {source.resolve()}, "
                                       f"built now if missing or out of date): {on_path}", tuple(notes))
    if not missing_files(build_bin):
        return Choice(build_bin, True, f"keeping the build in {build_bin}: {on_path}, and it cannot be rebuilt "
                                       f"here ({'; '.join(lacks)})", tuple(notes))
    raise NoPulumiCli(f"no Pulumi CLI to use: {on_path}; {'; '.join(lacks)}. To fix it, {INSTALL_ADVICE}; "
                      f"or, to build it here, install Go >= {_dotted(MINIMUM_GO)} and keep Pulumi's language "
                      f"host source at {source} (or set PULUMI_LANGHOST_SRC)")


def record(directory: Path, *, record_file: Path | None = None, root_link: Path | None = None) -> None:
    """Keep the choice for ``bin_dir()`` and ``root()``."""
    record_file, root_link = record_file or RECORD, root_link or ROOT_LINK
    record_file.parent.mkdir(parents=True, exist_ok=True)
    if directory.name != "bin":
        link = root_link / "bin"
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(directory, target_is_directory=True)
    record_file.write_text(f"{directory}\n", encoding="utf-8")


def bin_dir(record_file: Path | None = None) -> Path:
    """The directory of the Pulumi CLI the bootstrap chose; the build's before any bootstrap."""
    try:
        text = (record_file or RECORD).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return BUILD_BIN
    return Path(text) if text else BUILD_BIN


def root(record_file: Path | None = None, root_link: Path | None = None) -> Path:
    """The directory whose ``bin/pulumi`` is that CLI: what ``PulumiCommand(root=...)`` takes."""
    directory = bin_dir(record_file)
    return directory.parent if directory.name == "bin" else (root_link or ROOT_LINK)


def missing_cli_message() -> str | None:
    """Why the engine tests and the demo cannot run, or None."""
    directory = bin_dir()
    missing = missing_files(directory)
    if not missing:
        return None
    return (f"the Pulumi CLI is not ready in {directory} (missing {', '.join(missing)}): run "
            "`bash scripts/bootstrap.sh` (or `make test`, which does it first)")


def main() -> int:
    log = "[pulumi-cli]"
    try:
        choice = choose(os.environ)
    except NoPulumiCli as exc:
        print(f"{log} ERROR: {exc}", file=sys.stderr)
        return 1
    for note in choice.notes:
        print(f"{log} {note}", flush=True)
    print(f"{log} {choice.reason}", flush=True)
    if choice.build:
        built = subprocess.run(["bash", str(BUILD_SCRIPT)], check=False)
        if built.returncode != 0:
            return built.returncode
    record(choice.bin_dir)
    print(f"{log} recorded {choice.bin_dir} in {RECORD}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
