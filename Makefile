# The two set-up commands the README documents:
#   make demo  — everything from a fresh machine to a running stack on the embedded emulator
#   make test  — the whole test suite (lint, types, unit, emulator and real-engine tests)
# and, while working, make test-unit: every test that needs no Pulumi CLI (no Go build either).
.PHONY: demo test test-unit test-lowest-sdk bootstrap lint bench clean

bootstrap:
	@bash scripts/bootstrap.sh

demo: bootstrap
	.venv/bin/python scripts/demo.py

lint: bootstrap
	.venv/bin/ruff check pulumi_mparticle_wsync tests examples scripts bench tools policy
	.venv/bin/mypy
	@# the policy pack runs in its own virtualenv (policy/venv, which has pulumi-policy)
	.venv/bin/mypy --python-executable policy/venv/bin/python policy/__main__.py
	@# each example is a __main__.py of its own, so each is a separate mypy run
	for example in examples/*/__main__.py; do .venv/bin/mypy "$$example" || exit 1; done

test: lint
	.venv/bin/python -m pytest -n 2
	$(MAKE) test-lowest-sdk

# The engine tests (tests/engine, and any test marked `engine` elsewhere) run the Pulumi CLI; the rest do not.
test-unit:
	@bash scripts/bootstrap.sh --no-cli
	.venv/bin/python -m pytest -n 2 --ignore=tests/engine -m "not engine"

# The provider tests and one real-engine lifecycle on the oldest Pulumi SDK pyproject.toml accepts
# (.venv-lowest, made by scripts/lowest_sdk.sh); the provider process runs on it too (PULUMI_PYTHON_CMD).
test-lowest-sdk: bootstrap
	@bash scripts/lowest_sdk.sh
	.venv-lowest/bin/python -m pytest -n 2 tests/resources 'tests/engine/test_resource_lifecycle.py::test_full_lifecycle[DataModel]'

bench: bootstrap
	.venv/bin/python bench/run.py

clean:
	rm -rf .demo .pytest_cache .mypy_cache .ruff_cache
