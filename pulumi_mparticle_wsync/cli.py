"""The ``mparticle-wsync`` command: ``emulator`` runs the local API, ``check-api`` audits a live one,
``recover`` repairs a stack after an interrupted ``pulumi up``, ``runs`` lists, starts and follows pipeline runs,
``export`` writes a Pulumi program that adopts every object of a workspace."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    # Sub-command modules are imported lazily so ``--help`` stays fast and the
    # emulator's server dependencies never load in the Pulumi provider process.
    from .check_api import configure_parser as configure_check_api
    from .emulator.cli import configure_parser as configure_emulator
    from .export import configure_parser as configure_export
    from .recover import configure_parser as configure_recover
    from .runs_command import configure_parser as configure_runs

    parser = argparse.ArgumentParser(
        prog="mparticle-wsync",
        description="Tools for the mParticle Warehouse Sync Pulumi provider.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    configure_emulator(
        commands.add_parser(
            "emulator",
            help="run the local Warehouse Sync API emulator",
            description="Run the local emulator of the mParticle Warehouse Sync API v2 on loopback.",
        )
    )
    configure_check_api(
        commands.add_parser(
            "check-api",
            help="compare a live workspace's objects with the shapes this provider expects",
            description="List every resource kind in a workspace and report fields that differ from the spec.",
        )
    )
    configure_recover(
        commands.add_parser(
            "recover",
            help="after an interrupted `pulumi up`: record the objects it created, so the next up makes no duplicates",
            description="Find the objects an interrupted `pulumi up` created before it died and record them in the "
            "stack's state (or drop the creates that never happened), instead of creating them again.",
        )
    )
    configure_runs(
        commands.add_parser(
            "runs",
            help="list, trigger, show and watch the runs of a pipeline",
            description="List a pipeline's runs, start a run of an on-demand pipeline, show one run, or follow "
            "a run until it ends. Exit status: 0 ok, 1 the run failed (or a trigger was refused: a run is "
            "going), 2 a usage, settings or API error.",
        )
    )
    configure_export(
        commands.add_parser(
            "export",
            help="write a Pulumi program that adopts every object of a workspace",
            description="Read every connection, data model, field transformation and pipeline of a workspace and "
            "write a Pulumi program (Pulumi.yaml, __main__.py, SECRETS.md) that adopts each one. Exit status: "
            "0 every object is in the program, 1 some are left out (each named with the reason), 2 a usage, "
            "settings or API error.",
        )
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: int = args.run(args)
    return run


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
