"""The package as users get it: the sdist and wheel that ``python -m build`` makes, installed from
the wheel (not editable) into a fresh virtualenv, running the quickstart through the real Pulumi CLI.

What it catches: a module or package data file left out of the wheel (``py.typed``, the emulator's
schemas), an import that works only from the source tree (everything runs in a temporary directory,
with no path to the repository), metadata users rely on (SPDX licence, licence file, the ``pulumi``
range, the ``emulator`` extra), and the console script. The distributions are built once per session.
"""

from __future__ import annotations

import email
import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from pulumi_mparticle_wsync import __version__, wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControl

from ..engine.harness import PULUMI_BIN, missing_cli_message

pytestmark = pytest.mark.packaging

REPO_ROOT = Path(__file__).resolve().parents[2]
DIST_NAME = "pulumi_mparticle_wsync"
DEMO_PASSPHRASE = "wsync-demo"  # encrypts the demo secrets of Pulumi.dev.yaml
WORKSPACE = "1001"  # Pulumi.dev.yaml's mparticle:workspaceId
COMMAND_TIMEOUT = 600


@dataclass(frozen=True)
class Distributions:
    sdist: Path
    wheel: Path


@dataclass(frozen=True)
class InstalledWheel:
    python: Path
    bin_dir: Path


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=COMMAND_TIMEOUT, check=False)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus anything that could lead Python back to the source tree or this venv."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PULUMI_", "MPARTICLE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(extra)
    return env


def shared_dir(factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory of this test session, shared by its xdist workers (so the builds happen once)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/, whose popen-gwK/ are the workers' own
    return base / name


@contextmanager
def made_once(directory: Path) -> Iterator[bool]:
    """Under a lock on ``directory``: yields whether it must still be made; marks it made after."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    done = directory.with_name(f"{directory.name}.done")
    with open(directory.with_name(f"{directory.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        needed = not done.exists()
        if needed:
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
        yield needed
        if needed:
            done.touch()


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    """``python -m build``: the sdist, then the wheel built from that sdist (so the sdist must be complete)."""
    out = shared_dir(tmp_path_factory, "dist")
    with made_once(out) as needed:
        if needed:
            build_distributions(out)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Distributions(sdist, wheel)


def build_distributions(out: Path) -> None:
    # From a copy of the files git has (tracked, or new and not ignored), as a clean clone would,
    # so that the build writes nothing into the repository.
    source = out / "source"
    tracked = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT)
    for name in filter(None, tracked.split("\0")):
        if (REPO_ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, source / name)
    output = run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=out, env=clean_env())
    assert "SetuptoolsDeprecationWarning" not in output, output
    shutil.rmtree(source)


@pytest.fixture(scope="session")
def installed(distributions: Distributions, tmp_path_factory: pytest.TempPathFactory) -> InstalledWheel:
    """A fresh virtualenv with the wheel and its ``emulator`` extra, nothing else of ours."""
    venv = shared_dir(tmp_path_factory, "wheel-venv")
    with made_once(venv) as needed:
        if needed:
            run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent, env=clean_env())
            run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 f"{distributions.wheel}[emulator]"], cwd=venv.parent, env=clean_env())
    return InstalledWheel(python=venv / "bin" / "python", bin_dir=venv / "bin")


def wheel_metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def test_the_wheel_holds_the_package_data_licence_and_metadata(distributions: Distributions) -> None:
    with zipfile.ZipFile(distributions.wheel) as archive:
        names = set(archive.namelist())
    dist_info = f"{DIST_NAME}-{__version__}.dist-info"
    assert f"{DIST_NAME}/py.typed" in names
    assert f"{DIST_NAME}/schema/pipeline.py" in names
    assert f"{DIST_NAME}/emulator/acceptance.py" in names
    assert f"{dist_info}/licenses/LICENSE" in names
    assert f"{dist_info}/entry_points.txt" in names
    # Every file of the package's source tree (modules, py.typed, pulumi-plugin.json, ...), as git has it.
    tracked = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", DIST_NAME], cwd=REPO_ROOT)
    package_files = {name for name in tracked.split("\0") if name and (REPO_ROOT / name).is_file()}
    assert package_files <= names, sorted(package_files - names)
    assert not {n for n in names if n.startswith(("tests/", "scripts/", "examples/", "bench/", "tools/"))}

    metadata = wheel_metadata(distributions.wheel)
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert "Typing :: Typed" in metadata.get_all("Classifier", [])
    requires = metadata.get_all("Requires-Dist", [])
    assert "pulumi<4,>=3.235.0" in requires
    assert any(r.startswith("starlette") and 'extra == "emulator"' in r for r in requires), requires
    assert any(r.startswith("uvicorn") and 'extra == "emulator"' in r for r in requires), requires
    assert not any(r.startswith(("starlette", "uvicorn")) and "extra ==" not in r for r in requires), requires

    with tarfile.open(distributions.sdist) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {"LICENSE", "README.md", "pyproject.toml", f"{DIST_NAME}/py.typed"} <= members
    assert not {m for m in members if m.startswith("tests/")}, "the sdist carries no stray half of the tests"


@pytest.fixture
def emulator_from_the_wheel(installed: InstalledWheel, tmp_path: Path) -> Iterator[str]:
    """``mparticle-wsync emulator`` as the wheel installs it (console script, ``emulator`` extra)."""
    port_file = tmp_path / "emulator.port"
    process = subprocess.Popen(
        [str(installed.bin_dir / "mparticle-wsync"), "emulator", "--port", "0", "--port-file", str(port_file)],
        cwd=tmp_path, env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"the wheel's emulator did not start: {process.communicate()[1]}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def quickstart_copy(destination: Path) -> Path:
    """The root project and its dev stack, with the quickstart program under the same relative path."""
    project = destination / "quickstart"
    (project / "examples" / "quickstart").mkdir(parents=True)
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy2(REPO_ROOT / name, project / name)
    shutil.copy2(REPO_ROOT / "examples" / "quickstart" / "__main__.py", project / "examples" / "quickstart")
    return project


@pytest.mark.engine  # runs the Pulumi CLI: `make test-unit` leaves it out
def test_the_quickstart_runs_from_the_installed_wheel(
    installed: InstalledWheel, emulator_from_the_wheel: str, tmp_path: Path
) -> None:
    problem = missing_cli_message()
    if problem:
        pytest.fail(problem, pytrace=False)
    url = emulator_from_the_wheel
    project = quickstart_copy(tmp_path)
    # The interpreter the program and the provider run on finds the package in its own site-packages.
    where = run([str(installed.python), "-c", "import pulumi_mparticle_wsync as m; print(m.__file__)"],
                cwd=project, env=clean_env())
    assert Path(where.strip()).is_relative_to(installed.bin_dir.parent / "lib"), where
    env = clean_env(
        PATH=f"{PULUMI_BIN}{os.pathsep}{installed.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        PULUMI_HOME=str(tmp_path / "pulumi-home"),
        PULUMI_BACKEND_URL=(tmp_path / "state").as_uri(),
        PULUMI_CONFIG_PASSPHRASE=DEMO_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_PYTHON_CMD=str(installed.python),
    )
    (tmp_path / "state").mkdir()
    pulumi = str(PULUMI_BIN / "pulumi")

    def cli(*args: str) -> str:
        return run([pulumi, *args, "--stack", "dev", "--non-interactive"], cwd=project, env=env)

    run([pulumi, "stack", "select", "--create", "dev", "--non-interactive"], cwd=project, env=env)
    cli("config", "set", "mparticle:apiUrl", url)
    # The token endpoint as mParticle's docs write it: the full URL.
    cli("config", "set", "mparticle:authUrl", f"{url}{wire.TOKEN_PATH}")
    cli("up", "--yes", "--skip-preview")
    cli("preview", "--expect-no-changes")

    with EmulatorControl(url) as control:
        held = {collection: sorted(o["id"] for o in control.list_objects(WORKSPACE, collection))
                for collection in wire.COLLECTIONS}
        statuses = {record.status for record in control.requests()}
    assert {collection: len(ids) for collection, ids in held.items()} == {
        wire.CONNECTIONS: 1, wire.DATA_MODELS: 2, wire.FIELD_TRANSFORMATIONS: 1, wire.PIPELINES: 2,
    }, held
    assert 404 not in statuses
