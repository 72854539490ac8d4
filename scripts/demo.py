"""The demo behind ``make demo``: the quickstart's ``dev`` stack on the embedded emulator.

1. start the emulator on 127.0.0.1:8484 (the URL ``Pulumi.dev.yaml`` points at), keeping its
   data in ``.demo/emulator.sqlite3`` so a later run refreshes the same objects;
2. log in to a local file backend under ``.demo/state`` (no Pulumi Cloud account needed);
3. ``pulumi up --yes`` on ``dev``, print the stack outputs;
4. show that a second ``pulumi preview`` has no changes (``--expect-no-changes``);
5. stop the emulator.

The program runs as a real Pulumi program directory, with the ``pulumi`` commands a user types,
through the Python language host the bootstrap installs (``.tools/pulumi/bin/pulumi-language-python``).
Without one, the same program runs inline through the Automation API, which drives the same
engine and CLI.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

from pulumi_mparticle_wsync.emulator.process import EmulatorProcess
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / ".demo"
PULUMI_ROOT = ROOT / ".tools" / "pulumi"
PULUMI = PULUMI_ROOT / "bin" / "pulumi"
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


def run_with_automation_api(env: dict[str, str]) -> None:
    from pulumi import automation as auto

    quickstart = ROOT / "examples" / "quickstart" / "__main__.py"

    def program() -> None:
        runpy.run_path(str(quickstart), run_name="__main__")

    stack = auto.create_or_select_stack(
        STACK,
        project_name="wsync-quickstart",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(ROOT),
            pulumi_home=env["PULUMI_HOME"],
            env_vars=env,
            pulumi_command=auto.PulumiCommand(root=str(PULUMI_ROOT)),
        ),
    )
    banner("pulumi up (Automation API, inline program: examples/quickstart)")
    stack.up(on_output=print, color="always")
    banner("stack outputs")
    for key, value in stack.outputs().items():
        print(f"  {key}: {'[secret]' if value.secret else value.value}")
    banner("a second preview: nothing to change")
    stack.preview(on_output=print, color="always", expect_no_changes=True)


def main() -> int:
    if not PULUMI.is_file():
        print(f"the Pulumi CLI is missing at {PULUMI}: run `make demo` (it builds it)", file=sys.stderr)
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
        if (PULUMI.parent / "pulumi-language-python").is_file():
            run_with_cli(env)
        else:
            run_with_automation_api(env)
    except Exception as exc:
        print(f"\nthe demo failed: {exc}", file=sys.stderr)
        return 1
    finally:
        emulator.stop()
    banner("done")
    print(
        "The dev stack is up on the emulator; its state is in .demo/state and the emulator's data in\n"
        ".demo/emulator.sqlite3. Run `make demo` again: the restarted emulator keeps the objects and\n"
        "nothing changes. README.md shows how to run the same program yourself, or against a real\n"
        "mParticle workspace."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
