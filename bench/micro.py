"""CPU cost of the two pieces of our stack that differ from the floor, each in fresh processes.

    .venv/bin/python bench/micro.py [--runs 5] [--resources 400]

1. Provider process start-up, the fixed cost of every ``pulumi`` operation: importing the
   Pulumi SDK (as the floor does), loading the pickled provider (which imports our package),
   ``configure``, the first ``check`` of new inputs of each of the four kinds (what an ``up``
   and a preview of new or changed resources pay first: validation; a preview without changes
   checks recorded inputs, which are not validated again; the floor's is the SDK's default),
   and creating the HTTP client
   (what the first API call does first: ``up``, ``refresh`` and ``destroy``).
   The configured ``apiUrl`` is https, so the client step includes the TLS context that an https
   user's first call pays (no request is made). Its trust store depends on the environment
   (``client/_tls.py``): the ``ours, no SSL_CERT_*`` column runs our start-up with
   ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` removed from the environment (they are set on some
   machines, this bench's among them, and make any client parse a whole CA bundle). The
   ``over floor`` lines add the steps each operation pays after the SDK import, less the floor's:
   what issue 15's start-up targets are about (the SDK import is the same code in both, and only
   adds noise).
2. The program side, per resource: the stack of ``stack_shape.py`` registered under Pulumi's
   mocks (no engine), CPU per resource once our package is imported.

Our package's bytecode is compiled first (``bytecode.py``), as installing it does.
CPU time (not wall time) of a child process, median of ``--runs``: much less sensitive to a
busy machine than ``run.py``'s end-to-end figures, so it shows the effect of a change to
these pieces that ``run.py`` cannot resolve.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from bytecode import compile_measured_code

BENCH_DIR: Final = Path(__file__).resolve().parent
STARTUP_STEPS: Final = ("sdk import", "provider load", "configure", "first check", "client")
# What each operation's provider process pays of those steps, besides the SDK import.
OPERATION_STEPS: Final = {
    "refresh, destroy": ("provider load", "configure", "client"),
    "preview, no changes": ("provider load", "configure"),  # recorded inputs are not validated again
    "preview of new resources": ("provider load", "configure", "first check"),
    "up": ("provider load", "configure", "first check", "client"),
}

# Run in a child: prints the CPU seconds of each of STARTUP_STEPS, as JSON.
STARTUP_CHILD: Final = """
import json, sys, time
started = time.process_time()
import base64, dill, pulumi, pulumi.runtime, pulumi.dynamic
from pulumi.dynamic import Config, ConfigureRequest
marks = {"sdk import": time.process_time() - started}
sys.path.insert(0, sys.argv[1])
step = time.process_time()
provider = dill.loads(base64.b64decode(sys.argv[2]))
marks["provider load"] = time.process_time() - step
config = {"mparticle:apiUrl": "https://api.mparticle.com", "mparticle:authUrl": "https://sso.auth.mparticle.com",
          "mparticle:clientId": "id", "mparticle:clientSecret": "secret", "mparticle:workspaceId": "1001"}
step = time.process_time()
provider.configure(ConfigureRequest(Config(config, "bench")))
marks["configure"] = time.process_time() - step
from stack_shape import connection_args, data_model_args, pipeline_args, transformation_args
from pulumi_mparticle_wsync.state_layout import PULUMI_NAME
inputs = [connection_args(0), data_model_args(0), transformation_args(0),
          pipeline_args(0, "conn-0-id", "model-0-id", "transform-0-id")]
if sys.argv[3] == "ours":
    from pulumi_mparticle_wsync.resources import (
        ConnectionProvider, DataModelProvider, FieldTransformationProvider, PipelineProvider)
    checkers = [ConnectionProvider(), DataModelProvider(), FieldTransformationProvider(), PipelineProvider()]
else:
    checkers = [provider] * 4
step = time.process_time()
for checker, news in zip(checkers, inputs):  # one of each kind, as the engine sends them
    result = checker.check({}, {**news, PULUMI_NAME: "bench"})
    assert not result.failures, result.failures
marks["first check"] = time.process_time() - step
step = time.process_time()
if sys.argv[3] == "ours":
    from pulumi_mparticle_wsync.resources import _runtime
    _runtime.client()  # settings and the client, without a request
marks["client"] = time.process_time() - step
print(json.dumps(marks))
"""

# Run in a child: prints the program's CPU seconds per resource under mocks.
PROGRAM_CHILD: Final = """
import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
import pulumi
from pulumi.runtime.stack import wait_for_rpcs

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "-id", dict(args.inputs)]
    def call(self, args):
        return {}

pulumi.runtime.set_mocks(Mocks(), preview=False)
import pulumi_mparticle_wsync.resources  # imported before the clock starts
from stack_shape import floor_program, ours_program
resources = int(sys.argv[3])
program = ours_program(resources) if sys.argv[2] == "ours" else floor_program(resources)
loop = asyncio.get_event_loop()
started = time.process_time()
program()
loop.run_until_complete(wait_for_rpcs())
print((time.process_time() - started) / resources)
"""


CERT_ENV: Final = ("SSL_CERT_FILE", "SSL_CERT_DIR")
NO_CERT_ENV: Final = "ours, no SSL_CERT_*"


def _child(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    answer = subprocess.run([sys.executable, "-c", code, str(BENCH_DIR), *args], capture_output=True, text=True,
                            check=True, timeout=300, env=env)
    return answer.stdout.strip().splitlines()[-1]


def provider_references() -> dict[str, str]:
    """The ``__provider`` strings of the floor and of our Connection, as the SDK pickles them."""
    code = """
import sys
sys.path.insert(0, sys.argv[1])
from pulumi.dynamic.dynamic import serialize_provider
from floor_provider import FloorProvider
from pulumi_mparticle_wsync.resources import ConnectionProvider
print(serialize_provider(FloorProvider()), serialize_provider(ConnectionProvider()))
"""
    floor, ours = _child(code).split()
    for reference in (floor, ours):
        base64.b64decode(reference)  # fails loudly on anything but the pickled reference
    return {"floor": floor, "ours": ours}


def startup(runs: int) -> dict[str, dict[str, float]]:
    references = provider_references()
    no_cert_env = {key: value for key, value in os.environ.items() if key not in CERT_ENV}
    variants = [("floor", references["floor"], "floor", None), ("ours", references["ours"], "ours", None),
                (NO_CERT_ENV, references["ours"], "ours", no_cert_env)]
    medians: dict[str, dict[str, float]] = {}
    for name, reference, variant, env in variants:
        samples = [json.loads(_child(STARTUP_CHILD, reference, variant, env=env)) for _ in range(runs)]
        medians[name] = {step: statistics.median(sample[step] for sample in samples) for step in STARTUP_STEPS}
    return medians


def program_cost(runs: int, resources: int) -> dict[str, float]:
    return {
        variant: statistics.median(float(_child(PROGRAM_CHILD, variant, str(resources))) for _ in range(runs))
        for variant in ("floor", "ours")
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                     allow_abbrev=False)
    parser.add_argument("--runs", type=int, default=5, help="child processes per figure; the median is shown")
    parser.add_argument("--resources", type=int, default=400, help="resources in the program-side measurement")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.resources < 4:
        parser.error("--runs must be at least 1 and --resources at least 4")

    print(compile_measured_code())
    cost = startup(args.runs)
    print(f"Provider process start-up, CPU ms (median of {args.runs} processes)")
    print(f"{'step':>38}  {'floor':>6}  {'ours':>6}  {NO_CERT_ENV}")
    columns = ("floor", "ours", NO_CERT_ENV)
    for step in (*STARTUP_STEPS, "total"):
        row = [sum(cost[name].values()) if step == "total" else cost[name][step] for name in columns]
        print(f"{step:>38}  {1000 * row[0]:6.0f}  {1000 * row[1]:6.0f}  {1000 * row[2]:6.0f}")
    # Over the floor per operation: the steps it pays, less the floor's (the SDK import is the same
    # code in both and only adds noise, so it is left out).
    for operation, steps in OPERATION_STEPS.items():
        row = [sum(cost[name][step] - cost["floor"][step] for step in steps) for name in columns]
        label = f"over floor: {operation}"
        print(f"{label:>38}  {1000 * row[0]:6.0f}  {1000 * row[1]:6.0f}  {1000 * row[2]:6.0f}")

    per_resource = program_cost(args.runs, args.resources)
    print(f"\nProgram side under mocks, CPU ms per resource (N={args.resources}, median of {args.runs} processes)")
    print(f"floor {1000 * per_resource['floor']:.2f}  ours {1000 * per_resource['ours']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
