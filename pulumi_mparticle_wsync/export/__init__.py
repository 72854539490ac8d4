"""``mparticle-wsync export``: write a Pulumi program that adopts every object of a workspace.

    mparticle-wsync export --workspace ID [--out DIR] [--project NAME] [--force]

It lists the workspace's connections, data models, field transformations and pipelines (one GET
per collection, nothing else) and writes ``DIR/Pulumi.yaml``, ``DIR/__main__.py`` (one resource per
object, ``adopt=True`` with its ``resource_id``) and ``DIR/SECRETS.md`` (the secrets the API never
returns, which the program reads from the stack's config). The settings are read as the other
commands read them: ``--stack NAME`` (with ``--cwd DIR``) for a stack's config, else ``MPARTICLE_*``.

Exit status: 0 every object is in the program; 1 the program was written but some objects are
left out (each is named, with the reason, on stderr and at the top of the program); 2 a usage,
settings or API error, or an ``--out`` directory that is not empty (without ``--force``).

Layers: ``_read`` reads the workspace and decides what each object becomes, ``_names`` names
them, ``_writer`` lays out Python, ``_render`` writes the files. docs/adopting.md is the guide.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path
from typing import Final, TextIO

from ._read import ExportPlan, LeftOut, ObjectPlan, plan_workspace, read_workspace
from ._render import (
    PROGRAM_FILE,
    PROJECT_FILE,
    SECRETS_FILE,
    assign_names,
    render_program,
    render_project,
    render_secrets,
    secret_lines,
)

__all__ = [
    "EXIT_ERROR",
    "EXIT_LEFT_OUT",
    "EXIT_OK",
    "ExportPlan",
    "LeftOut",
    "ObjectPlan",
    "configure_parser",
    "export_files",
    "plan_workspace",
    "run",
]

EXIT_OK: Final = 0
EXIT_LEFT_OUT: Final = 1
EXIT_ERROR: Final = 2
_PROJECT_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", metavar="ID", help="the workspace to export (default: mparticle:workspaceId)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="the directory to write the program to (default: ./wsync-workspace-ID)")
    parser.add_argument("--project", type=_project_name, metavar="NAME",
                        help="the Pulumi project name (default: wsync-workspace-ID)")
    parser.add_argument("--force", action="store_true",
                        help="write into DIR even when it is not empty (replacing the three files the export writes)")
    group = parser.add_argument_group("settings (default: the MPARTICLE_* environment variables)")
    group.add_argument("--stack", metavar="NAME", help="read the mparticle:* settings from this Pulumi stack's config")
    group.add_argument("--cwd", type=Path, metavar="DIR", help="the stack's project directory (default: here)")
    parser.allow_abbrev = False
    parser.set_defaults(run=run)


def _project_name(text: str) -> str:
    if _PROJECT_NAME.match(text) is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Pulumi project name (1-100 letters, digits, '-', '_' and '.')"
        )
    return text


def export_files(plan: ExportPlan, project: str) -> dict[str, str]:
    """The files of the program for ``plan``: name -> text."""
    names = assign_names(plan)
    return {
        PROJECT_FILE: render_project(project, plan.workspace_id),
        PROGRAM_FILE: render_program(plan, names),
        SECRETS_FILE: render_secrets(plan, names),
    }


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from ..client import WarehouseSyncClient, WarehouseSyncError
    from ..command_settings import CommandError, advised, resolve_settings

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = resolve_settings(args)
        workspace = settings.workspace_id
        assert workspace is not None  # resolve_settings requires one
        directory: Path = args.out or Path(f"wsync-workspace-{workspace}")
        refused = _refused_directory(directory, args.force)
        if refused:
            raise CommandError(refused)
        with WarehouseSyncClient(settings) as client:
            served = read_workspace(client, workspace)
    except CommandError as error:
        print(f"export: {error}", file=err)
        return EXIT_ERROR
    except WarehouseSyncError as error:
        print(f"export: {advised(str(error), args)}", file=err)
        return EXIT_ERROR
    plan = plan_workspace(workspace, served)
    names = assign_names(plan)
    files = export_files(plan, args.project or f"wsync-workspace-{workspace}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"export: cannot write the program to {str(directory)!r}: {error}", file=err)
        return EXIT_ERROR
    _report(plan, directory, secret_lines(plan, names), out, err)
    return EXIT_LEFT_OUT if plan.left_out else EXIT_OK


def _refused_directory(directory: Path, force: bool) -> str:
    """Why the program cannot be written into ``directory`` ("" when it can)."""
    if directory.exists() and not directory.is_dir():
        return f"--out {str(directory)!r} is a file, not a directory"
    if directory.is_dir() and any(directory.iterdir()) and not force:
        return (
            f"--out {str(directory)!r} is not empty: choose another directory, or pass --force to write "
            f"{PROJECT_FILE}, {PROGRAM_FILE} and {SECRETS_FILE} into it (other files are left as they are)"
        )
    return ""


def _count(plan: ExportPlan) -> str:
    from ._read import program_order

    parts = []
    for resource in program_order():
        count = sum(1 for o in plan.objects if o.schema is resource)
        label = resource.label.lower()
        parts.append(f"{count} {label if count == 1 else label + 's'}")
    return ", ".join(parts)


def _report(plan: ExportPlan, directory: Path, secrets: list[str], out: TextIO, err: TextIO) -> None:
    where = shlex.quote(str(directory))
    print(f"Wrote {directory / PROGRAM_FILE}: workspace {plan.workspace_id}, {_count(plan)}.", file=out)
    if secrets:
        print(f"Set its {len(secrets)} secret{'s' if len(secrets) != 1 else ''} in the stack's config before the "
              f"first `pulumi up` ({SECRETS_FILE} says what each one is):", file=out)
        for line in secrets:
            print(f"  {line}", file=out)
    print(f"Then, in {where}: pulumi stack init, pulumi config set mparticle:workspaceId {plan.workspace_id} "
          "(and the provider's credentials, as for any stack), and pulumi preview (every object shows as a "
          "create: an adoption).", file=out)
    if plan.left_out:
        count = len(plan.left_out)
        print(f"export: left out {count} object{'s' if count != 1 else ''} the program cannot declare "
              f"(listed at the top of {PROGRAM_FILE} too):", file=err)
        for item in plan.left_out:
            print(f"  {item.describe()}", file=err)
