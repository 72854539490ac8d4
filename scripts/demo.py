"""The demo behind ``make demo``: the quickstart's ``dev`` stack on the embedded emulator.

1. start the emulator on 127.0.0.1:8484 (the URL ``Pulumi.dev.yaml`` points at), keeping its
   data in ``.demo/emulator.sqlite3`` so a later run refreshes the same objects;
2. log in to a local file backend under ``.demo/state`` (no Pulumi Cloud account needed);
3. ``pulumi up --yes`` on ``dev``, print the stack outputs;
4. show that a second ``pulumi preview`` has no changes (``--expect-no-changes``);
5. stop the emulator.

The program runs as a real Pulumi program directory, with the ``pulumi`` commands a user types,
through Pulumi's own Python language host, with the CLI the bootstrap chose (``scripts/pulumi_cli.py``:
``PULUMI_CLI_DIR``, the ``pulumi`` on ``PATH``, or the one built into ``.tools/pulumi/bin``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python scripts/demo.py`: for scripts.pulumi_cli
    sys.path.insert(1, str(ROOT))

from pulumi_mparticle_wsync.emulator.process import EmulatorProcess  # noqa: E402
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings  # noqa: E402
from scripts import pulumi_cli  # noqa: E402

DEMO_DIR = ROOT / ".demo"
PULUMI = pulumi_cli.bin_dir() / "pulumi"
STACK = "dev"
EMULATOR_PORT = 8484
# The passphrase that encrypts the demo secrets in Pulumi.dev.yaml / Pulumi.prod.yaml. They hold
# only the emulator's demo credentials; use your own stacks and passphrase for a real workspace.
DEMO_PASSPHRASE = "wsync-demo"


def banner(text: str) -> None:
    print(f"\n=== {text} ===", flush=True)


def demo_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PATH": f"{PULUMI.parent}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "PULUMI_HOME": str(DEMO_DIR / "pulumi-home"),
        "PULUMI_BACKEND_URL": (DEMO_DIR / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": env.get("PULUMI_CONFIG_PASSPHRASE", DEMO_PASSPHRASE),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
    })
    return env


def run_with_cli(env: dict[str, str]) -> None:
    def pulumi(*args: str) -> None:
        print(f"$ pulumi {' '.join(args)}", flush=True)
        subprocess.run([str(PULUMI), *args, "--stack", STACK], cwd=ROOT, env=env, check=True)

    subprocess.run([str(PULUMI), "stack", "select", "--create", STACK], cwd=ROOT, env=env, check=True)
    banner("pulumi up")
    pulumi("up", "--yes", "--skip-preview")
    banner("stack outputs")
    pulumi("stack", "output")
    banner("a second preview: nothing to change")
    pulumi("preview", "--expect-no-changes")


def main() -> int:
    problem = pulumi_cli.missing_cli_message()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    (DEMO_DIR / "state").mkdir(parents=True, exist_ok=True)
    settings = EmulatorSettings(port=EMULATOR_PORT, data_path=str(DEMO_DIR / "emulator.sqlite3"))
    banner(f"starting the emulator on {settings.host}:{settings.port} (data: .demo/emulator.sqlite3)")
    try:
        emulator = EmulatorProcess(settings, workdir=DEMO_DIR).start()
    except RuntimeError as exc:
        print(f"{exc}\nIs port {EMULATOR_PORT} in use? Stop whatever listens there and run `make demo` again.",
              file=sys.stderr)
        return 1
    print(f"emulator running at {emulator.url} (client id {settings.client_id})", flush=True)
    env = demo_env()
    try:
        run_with_cli(env)
    except Exception as exc:
        print(f"\nthe demo failed: {exc}", file=sys.stderr)
        return 1
    finally:
        emulator.stop()
    banner("done")
    print(
        "The dev stack is up on the emulator; its state is in .demo/state and the emulator's data in\n"
        ".demo/emulator.sqlite3. Run `make demo` again: the restarted emulator keeps the objects and\n"
        "nothing changes. docs/pulumi-cli.md shows how to run the same program yourself, and README.md\n"
        "how to point it at a real mParticle workspace."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
