# iku — common tasks. `make` alone lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help setup main test browser validate clean-outputs dist bench

help: ## list the tasks
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/iku: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

setup: $(BIN)/iku ## create .venv and install iku with its dependencies

main: setup ## the main job: check data/raw, compute every indicator, write the reports -> outputs/
	$(BIN)/iku validate
	$(BIN)/iku compute --all-years --out outputs/iku-semua-tahun.csv
	$(BIN)/iku report --all
	@echo "Laporan: buka outputs/index.html (angka lengkap: outputs/iku-semua-tahun.csv)"

validate: setup ## check data/raw against the data contract
	$(BIN)/iku validate

browser: ## install Debian's chromium for the report tests (needs root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

TEST_JOBS ?= auto
test: setup browser ## run the whole test suite, a test file per core (TEST_JOBS=1: one process)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile --durations=20

dist: setup ## build the wheel users install (pip install dist/iku-*.whl) -> dist/
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .
	@ls dist/iku-*.whl

clean-outputs: ## remove everything derived in outputs/ and data/processed/
	find outputs data/processed -mindepth 1 ! -name .gitkeep -delete

bench: setup ## benchmarks: national compute per level vs DuckDB, validate, growth, report vs floor, --jobs 1 vs 2; see benchmarks/README.md
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
