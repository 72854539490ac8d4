"""The emulator's web server is the optional ``[emulator]`` extra: the provider never needs it.

Each test runs a fresh interpreter whose import system refuses ``starlette`` and ``uvicorn`` as
an install without the extra would (``ModuleNotFoundError``), from a directory outside the
repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.cli import EXIT_NOT_INSTALLED, INSTALL_COMMAND, SERVER_MODULES
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

BLOCK_SERVER_MODULES = f"""
import sys

class _NotInstalled:
    '''Answers for the emulator's server modules as if they were not installed.'''

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {SERVER_MODULES!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
for blocked in {SERVER_MODULES!r}:
    try:
        __import__(blocked)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit(f"the import hook did not block {{blocked}}")
"""

USE_RESOURCES_AND_CLIENT = """
import os
import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import check_api, cli, client, models, recover, resources
from pulumi_mparticle_wsync.emulator import cli as emulator_cli
from pulumi.dynamic import Config, ConfigureRequest

for name in mp.__all__:
    getattr(mp, name)
cli.build_parser()

# The provider creates an object through the client, as in a provider process.
provider = resources.DataModelProvider()
provider.configure(ConfigureRequest(Config({
    "mparticle:clientId": os.environ["T_CLIENT_ID"],
    "mparticle:clientSecret": os.environ["T_CLIENT_SECRET"],
    "mparticle:workspaceId": os.environ["T_WORKSPACE_ID"],
    "mparticle:apiUrl": os.environ["T_URL"],
    "mparticle:authUrl": os.environ["T_URL"],
}, "test-project")))
provider.create({"name": "Active users", "resource_id": "active-users",
                 "sql_query": "SELECT email FROM analytics.public.users", "__provider": "serialized"})

loaded = sorted(m for m in sys.modules if m.partition(".")[0] in ("starlette", "uvicorn"))
assert not loaded, loaded
print("ok")
"""


def run_without_server_modules(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MPARTICLE_", "PYTHONPATH"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", BLOCK_SERVER_MODULES + code],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_package_its_resources_and_client_need_no_emulator_modules(
    emulator: EmulatorHandle, tmp_path: Path
) -> None:
    result = run_without_server_modules(
        USE_RESOURCES_AND_CLIENT, tmp_path,
        T_URL=emulator.url, T_CLIENT_ID=emulator.client_id, T_CLIENT_SECRET=emulator.client_secret,
        T_WORKSPACE_ID=emulator.workspace_id,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
    assert emulator.control.get_object(emulator.workspace_id, wire.DATA_MODELS, "active-users") is not None


def test_the_emulator_command_without_the_extra_says_which_pip_command_adds_it(tmp_path: Path) -> None:
    commands = {
        "mparticle-wsync emulator": "from pulumi_mparticle_wsync.cli import main\n"
                                    "sys.exit(main(['emulator', '--port', '0']))",
        "python -m pulumi_mparticle_wsync.emulator": "import runpy\n"
                                                     "sys.argv = ['emulator', '--port', '0']\n"
                                                     "runpy.run_module('pulumi_mparticle_wsync.emulator', "
                                                     "run_name='__main__')",
    }
    for command, code in commands.items():
        result = run_without_server_modules(code, tmp_path)
        assert result.returncode == EXIT_NOT_INSTALLED, (command, result.stderr)
        assert INSTALL_COMMAND in result.stderr, (command, result.stderr)
        assert result.stderr.startswith("mparticle-wsync emulator: the emulator's web server is not installed ("), (
            command, result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)
