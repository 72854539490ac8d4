#!/usr/bin/env bash
# A second virtualenv, .venv-lowest: this package (editable) and its test tools on the OLDEST Pulumi
# Python SDK it declares, the lower bound of its `pulumi>=X,<4` dependency in pyproject.toml.
# `make test` runs the provider tests and one real-engine lifecycle test with it (`make test-lowest-sdk`),
# so the range we publish is a range we test at both ends.
#
# Idempotent: reinstalled only when pyproject.toml or this script changes (a stamp, as bootstrap does).
# Needs python3 >= 3.11 and PyPI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV=.venv-lowest

# The declared floor, read from pyproject.toml so that raising it there is the only edit needed.
lowest="$("$PYTHON" - <<'EOF'
import re, tomllib
with open("pyproject.toml", "rb") as f:
    deps = tomllib.load(f)["project"]["dependencies"]
floors = [m.group(1) for d in deps if (m := re.fullmatch(r"pulumi\s*>=\s*([0-9.]+)\s*,\s*<\s*4", d.strip()))]
if len(floors) != 1:
    raise SystemExit(f"pyproject.toml: expected one dependency 'pulumi>=X,<4', found {deps!r}")
print(floors[0])
EOF
)"

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "[lowest-sdk] creating $VENV with $($PYTHON --version)"
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.installed-$(cat pyproject.toml "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
    echo "[lowest-sdk] installing pulumi-mparticle-wsync and test tools with pulumi==$lowest into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]' "pulumi==$lowest"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
else
    echo "[lowest-sdk] $VENV is up to date (pulumi==$lowest)"
fi

installed="$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("pulumi"))')"
if [[ "$installed" != "$lowest" ]]; then
    echo "[lowest-sdk] $VENV has pulumi $installed, not the declared floor $lowest" >&2
    exit 1
fi
