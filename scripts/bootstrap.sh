#!/usr/bin/env bash
# Prepare everything the demo and the tests need, idempotently:
#   1. .venv with this package (editable) and its test tools, reinstalled when pyproject.toml changes;
#   2. the Pulumi CLI with Pulumi's Python language host (scripts/pulumi_cli.py): PULUMI_CLI_DIR if set,
#      else the pulumi on PATH if recent enough and with the language host beside it, else the one
#      built from Go modules and ../shared/third_party/pulumi-language-python into .tools/pulumi/bin
#      (skipped when already built). It prints which and why, and records it in .tools/pulumi-cli-dir;
#   3. policy/venv, the policy pack's virtualenv, from policy/requirements.txt (when that file changes).
# Needs python3 >= 3.11 and PyPI; and, unless a Pulumi CLI is installed, Go >= 1.26 and the Go module proxy.
# --no-cli: step 1 only (make test-unit).
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

# This package's bytecode, as an installed package has it: where PYTHONDONTWRITEBYTECODE is set, every
# provider process of the tests would otherwise compile the package again. Stale files are rewritten.
.venv/bin/python -m compileall -q pulumi_mparticle_wsync >/dev/null

if [[ "${1:-}" != "--no-cli" ]]; then
    .venv/bin/python scripts/pulumi_cli.py
    # The policy pack's own virtualenv (policy/PulumiPolicy.yaml names it), as `pulumi install` in policy/
    # makes it: pulumi-policy pins a protobuf older than the one .venv has, so it does not go into .venv.
    policy_stamp="policy/venv/.installed-$(sha256sum policy/requirements.txt | cut -c1-16)"
    if [[ ! -f "$policy_stamp" ]]; then
        echo "[bootstrap] installing the policy pack's requirements into policy/venv"
        [[ -x policy/venv/bin/python ]] || "$PYTHON" -m venv policy/venv
        policy/venv/bin/python -m pip install --quiet --disable-pip-version-check -r policy/requirements.txt
        rm -f policy/venv/.installed-*
        touch "$policy_stamp"
    else
        echo "[bootstrap] policy/venv is up to date"
    fi
fi
