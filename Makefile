# `make run` and `make test` work on a fresh machine: they create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck check serve bench bench-load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## The main job: every suite against the embedded demonstrator; reports in reports/latest/.
run: $(STAMP)
	$(BIN)/spine-conformance run

## The harness's own tests (unit, integration, fault detection), in parallel.
test: $(STAMP)
	$(BIN)/pytest -n auto --dist loadgroup tests

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

serve: $(STAMP)
	$(BIN)/spine-conformance serve

bench: $(STAMP)
	$(BIN)/python benchmarks/demonstrator_throughput.py

## Conformance-checked requests per second per Locust worker, one worker against two.
bench-load: $(STAMP)
	$(BIN)/python benchmarks/load_scaling.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
