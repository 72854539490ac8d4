# The two set-up commands the README documents:
#   make demo  — everything from a fresh machine to a running stack on the embedded emulator
#   make test  — the whole test suite (lint, types, unit, emulator and real-engine tests)
.PHONY: demo test bootstrap lint bench clean

bootstrap:
	@bash scripts/bootstrap.sh

demo: bootstrap
	.venv/bin/python scripts/demo.py

lint: bootstrap
	.venv/bin/ruff check pulumi_mparticle_wsync tests examples scripts bench tools
	.venv/bin/mypy
	@# each example is a __main__.py of its own, so each is a separate mypy run
	for example in examples/*/__main__.py; do .venv/bin/mypy "$$example" || exit 1; done

test: lint
	.venv/bin/python -m pytest -n 2

bench: bootstrap
	.venv/bin/python bench/run.py

clean:
	rm -rf .demo .pytest_cache .mypy_cache .ruff_cache
