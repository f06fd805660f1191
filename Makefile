# Two commands: `make report` runs the whole analysis, `make test` runs the tests (all of them; .ci/run).
# For developers: `make test-fast` runs the fast tier (no kernels, no notebooks, no `analyse` processes).
# `make lab` opens the notebooks in JupyterLab (extra options: make lab LAB_ARGS="--no-browser --port 8899").
# `make lock` makes requirements.lock again from pyproject.toml (see README, "Tests voor ontwikkelaars").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# the tool that writes the lock; installed into .venv by `make lock` only, never needed to install the project
LOCK_TOOL := uv==0.13.10
# extra options for uv pip compile, e.g. make lock LOCK_ARGS=--upgrade (all) or --upgrade-package pandas
LOCK_ARGS ?=

.PHONY: report test test-fast validate lab notebooks-text lock clean
LAB_ARGS ?=

# A new .venv (--clear: nothing left over from an older lock) with exactly the versions in the lock, every file
# checked against its hash, then the project itself as an editable install without dependencies of its own.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Keeps the versions already in the lock where pyproject.toml allows them (add LOCK_ARGS=--upgrade for the newest);
# for Python 3.11 on Linux, what CI runs. The next make report/test reinstalls .venv from the new lock.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(LOCK_TOOL)
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --python-platform linux \
		--quiet --generate-hashes --custom-compile-command "make lock" --output-file $(LOCK) $(LOCK_ARGS)

report: $(STAMP)
	$(BIN)/analyse run

validate: $(STAMP)
	$(BIN)/analyse validate

lab: $(STAMP)
	$(BIN)/analyse lab $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow and not e2e"

# the Markdown text versions of the notebooks (notebooks/tekst/) after editing a notebook outside JupyterLab;
# always from the .ipynb (not --sync, which follows file times and after a checkout or merge can take an older text)
notebooks-text: $(STAMP)
	cd notebooks && ../$(BIN)/jupytext --to tekst//md *.ipynb

clean:
	rm -rf data/processed/*.csv data/processed/*.json reports/* reports/.run-* reports/.old-*
	touch data/processed/.gitkeep reports/.gitkeep
