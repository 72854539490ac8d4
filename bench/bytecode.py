"""Compile this package's bytecode before measuring, as installing it does.

``pip install`` writes the ``.pyc`` files of a package it installs, so a user's provider process
loads our modules from bytecode. The bench runs the editable install of the checkout, and where
``PYTHONDONTWRITEBYTECODE`` is set (this bench machine sets it) Python never writes them on
import: every provider process would then compile our sources again (~30 ms of CPU to load a
provider and as much for the client), a cost no installed user pays. ``compileall`` writes them
whatever that variable says; a module edited afterwards is compiled in memory as before.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path
from typing import Final

BENCH_DIR: Final = Path(__file__).resolve().parent
PACKAGE_DIR: Final = BENCH_DIR.parent / "pulumi_mparticle_wsync"


def compile_measured_code() -> str:
    """Write the bytecode of our package and of the bench's own modules (the floor's provider among
    them); returns a line for the bench's header."""
    for directory in (PACKAGE_DIR, BENCH_DIR):
        if not compileall.compile_dir(directory, quiet=1):
            raise RuntimeError(f"compileall failed for {directory}")
    setting = os.environ.get("PYTHONDONTWRITEBYTECODE")
    note = f" (PYTHONDONTWRITEBYTECODE={setting} here)" if setting else ""
    return f"bytecode: compiled before measuring, as pip install does{note}"
