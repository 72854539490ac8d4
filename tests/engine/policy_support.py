"""The repository's policy pack (policy/) as the engine tests run it: a copy, in its own virtualenv.

``policy/PulumiPolicy.yaml`` names ``virtualenv: venv``, which ``pulumi install`` in policy/ creates and
``scripts/bootstrap.sh`` creates the same way (``make test`` runs it). A copy of the pack points at that
virtualenv by its absolute path, so a test never writes into the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from .harness import REPO_ROOT

POLICY_DIR = REPO_ROOT / "policy"
POLICY_VENV = POLICY_DIR / "venv"
PACK_NAME = "mparticle-wsync"
# How the CLI names a local pack (it has no version of its own) that ran: in a plain preview, and in a
# --diff one (the Automation API's previews in harness.EngineStack).
PACK_LABEL = f"{PACK_NAME}@v0.0.1 (local: "
PACK_RAN_DIFF = f"{PACK_NAME}|local|"


def pack_ran(output: str) -> bool:
    """Did the CLI run the pack, in a preview printed with or without --diff?"""
    return PACK_LABEL in output or PACK_RAN_DIFF in output


def policy_pack_copy(destination: Path) -> Path:
    """``destination/policy``: the pack's files, its ``virtualenv`` option naming ``policy/venv``."""
    settings = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text())
    assert settings["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    if not (POLICY_VENV / "bin" / "python").is_file():
        pytest.fail(f"{POLICY_VENV} is missing: run scripts/bootstrap.sh (make test does) or `pulumi install` in "
                    f"{POLICY_DIR}", pytrace=False)
    pack = destination / "policy"
    shutil.copytree(POLICY_DIR, pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    settings["runtime"]["options"]["virtualenv"] = str(POLICY_VENV)
    (pack / "PulumiPolicy.yaml").write_text(yaml.safe_dump(settings))
    return pack
