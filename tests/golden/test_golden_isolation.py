"""The golden tests take nothing from the code under test that could carry a wire name.

Read from the source files of ``tests/golden``: no file imports ``pulumi_mparticle_wsync.wire``,
``pulumi_mparticle_wsync.models`` (or any other module holding names or constants), nor another
test package's helpers (which build bodies from ``wire``). Only the seams listed in ``ALLOWED``
are imported from the package: the providers, their client, and the emulator's test handle.
"""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).parent
PACKAGE = "pulumi_mparticle_wsync"
ALLOWED = frozenset(
    {
        f"{PACKAGE}.client",
        f"{PACKAGE}.emulator.testing",
        f"{PACKAGE}.resources",
        f"{PACKAGE}.resources._runtime",
        f"{PACKAGE}.resources._stack_objects",
    }
)
FORBIDDEN = (f"{PACKAGE}.wire", f"{PACKAGE}.models")


def sources() -> list[Path]:
    files = sorted(HERE.glob("*.py"))
    assert {p.name for p in files} >= {"__init__.py", "conftest.py", "support.py", "test_golden_isolation.py"}
    return files


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports; ``from X import y`` counts as ``X`` and ``X.y``; relative
    imports are spelled with their leading dots."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.append(base)
            found += [f"{base}.{alias.name}" if node.module else f"{base}{alias.name}" for alias in node.names]
    return found


def test_no_golden_file_imports_wire_or_models() -> None:
    for path in sources():
        for module in imported_modules(path):
            assert not any(module == f or module.startswith(f + ".") for f in FORBIDDEN), (path.name, module)


def test_package_imports_are_only_the_allowed_seams() -> None:
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
                modules = [node.module]
            else:
                continue
            for module in modules:
                if module.split(".")[0] in (PACKAGE, "tests"):
                    assert module in ALLOWED, (path.name, module)


def test_relative_imports_stay_inside_tests_golden() -> None:
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert node.level == 1 and node.module in ("conftest", "support"), (path.name, node.module)


def test_no_dynamic_imports() -> None:
    for path in sources():
        names = {
            node.id if isinstance(node, ast.Name) else node.attr
            for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if isinstance(node, ast.Name | ast.Attribute)
        }
        assert not names & {"import_module", "__import__", "import_string"}, path.name


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The checks above would catch each spelling of the forbidden imports."""
    spellings = [
        f"import {PACKAGE}.wire",
        f"from {PACKAGE} import wire",
        f"from {PACKAGE}.wire import CONNECTIONS",
        f"from {PACKAGE} import models",
        f"from {PACKAGE}.models.connection import to_wire",
    ]
    for spelling in spellings:
        probe = tmp_path / "probe.py"
        probe.write_text(spelling + "\n")
        modules = imported_modules(probe)
        assert any(m == f or m.startswith(f + ".") for m in modules for f in FORBIDDEN), spelling
