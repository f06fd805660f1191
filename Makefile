# Two commands: `make report` runs the whole analysis, `make test` runs the tests (all of them; .ci/run).
# For developers: `make test-fast` runs the fast tier (no kernels, no notebooks, no `analyse` processes).
# `make lab` opens the notebooks in JupyterLab (extra options: make lab LAB_ARGS="--no-browser --port 8899").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test test-fast validate lab notebooks-text clean
LAB_ARGS ?=

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

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
