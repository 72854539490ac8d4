#!/usr/bin/env bash
# Prepare everything the demo and the tests need, idempotently:
#   1. .venv with this package (editable) and its test tools, reinstalled when pyproject.toml changes;
#   2. the Pulumi CLI built from Go modules into .tools/pulumi/bin (skipped when already built).
# Needs python3 >= 3.11 and Go >= 1.26 on PATH, and the PyPI and Go module proxies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

if [[ ! -x .venv/bin/python ]]; then
    echo "[bootstrap] creating .venv with $($PYTHON --version)"
    "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
    echo "[bootstrap] installing pulumi-mparticle-wsync and test tools into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
    rm -f .venv/.installed-*
    touch "$stamp"
else
    echo "[bootstrap] .venv is up to date"
fi

bash tools/pulumi-cli/build.sh
